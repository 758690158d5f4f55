import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTemplatesFolder, TEMPLATE_FILES, TemplatesFolderError, writeTemplateDirectory } from './folder';

/** The first template `init` writes: every file of a template directory, lint-clean. */
export const STARTER_TEMPLATE = Object.freeze({
  directory: 'welcome',
  name: 'Welcome',
  category: 'onboarding',
  subject: 'Welcome to {{company.name}}, {{user.first_name}}',
  body_html: `<h1>Hi {{user.first_name}},</h1>
<p>Thanks for joining {{company.name}}.</p>
{{#if next_steps}}
<ul>
  {{#each next_steps}}<li><a href="{{url}}">{{title}}</a></li>{{/each}}
</ul>
{{/if}}
`,
  body_text: `Hi {{user.first_name}},

Thanks for joining {{company.name}}.
{{#each next_steps}}
- {{title}}: {{url}}
{{/each}}
`,
  sample: {
    user: { first_name: 'Ada' },
    company: { name: 'Example Inc.' },
    next_steps: [{ title: 'Complete your profile', url: 'https://example.com/profile' }],
  },
});

/**
 * Creates a templates folder with one first template directory (`welcome/`: template.json,
 * subject.hbs, html.hbs, text.hbs, sample.json). Refuses a folder that already holds templates.
 */
export async function initTemplatesFolder(folder: string): Promise<{ directory: string; files: string[] }> {
  let existing: { length: number } = [];
  try {
    existing = await readTemplatesFolder(folder);
  } catch (error) {
    if (!(TemplatesFolderError.isInstance(error) && error.path === folder)) throw error;
  }
  if (existing.length > 0) {
    throw new TemplatesFolderError(
      folder,
      `already holds ${existing.length} template${existing.length === 1 ? '' : 's'}; init only starts a new folder`,
    );
  }
  const { directory, sample, ...content } = STARTER_TEMPLATE;
  await writeTemplateDirectory(folder, directory, content, { synced: false });
  await writeFile(join(folder, directory, TEMPLATE_FILES.sample), `${JSON.stringify(sample, null, 2)}\n`);
  return {
    directory,
    files: [
      TEMPLATE_FILES.metadata,
      TEMPLATE_FILES.subject,
      TEMPLATE_FILES.html,
      TEMPLATE_FILES.text,
      TEMPLATE_FILES.sample,
    ],
  };
}
