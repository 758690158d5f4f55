import { type Address, type EmailTemplate, MailtrapClient, type MailtrapEndpoints } from '@mailtrap-kit/core';
import { renderTemplate } from '@mailtrap-kit/templates';

export interface ExampleOptions {
  token: string;
  /** Base URLs of a Mailtrap-compatible API (the emulator); omit them to use Mailtrap. */
  endpoints?: MailtrapEndpoints;
  from: Address;
  to: Address;
  /** An existing template to send; without it the example's template is found by name or created. */
  templateUuid?: string;
  /** Use the account-scoped Templates API paths (`/api/accounts/{id}/email_templates`). */
  accountId?: number;
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

/** The template this example keeps in your account (found by its name, created when missing). */
export const welcomeTemplate = {
  name: 'mailtrap-kit example: welcome',
  category: 'welcome',
  subject: 'Welcome, {{user.first_name}}!',
  body_text:
    'Hi {{user.first_name}},\n{{#if items}}Your cart:\n{{#each items}}- {{name}} ({{price}})\n{{/each}}{{/if}}',
  body_html:
    '<p>Hi {{user.first_name}},</p>{{#if items}}<ul>{{#each items}}<li>{{name}} ({{price}})</li>{{/each}}</ul>{{/if}}',
};

export const variables = {
  user: { first_name: 'Ada' },
  items: [
    { name: 'Analytical Engine', price: '£17,000' },
    { name: 'Punched cards <x100>', price: '£3' },
  ],
};

/** Finds (or creates) the template, previews it locally, then sends it by uuid. */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { token, endpoints, from, to, log = console.log } = options;
  const client = new MailtrapClient({ token, endpoints, accountId: options.accountId });
  try {
    const template = await findOrCreate(client, options.templateUuid);
    log(`template: "${template.name}" (uuid ${template.uuid})`);

    // Render locally, exactly as Mailtrap will: a preview, a test snapshot, no request needed.
    const preview = renderTemplate(template, variables);
    log(`preview: subject "${preview.subject}"`);

    // Send: the template supplies subject, text, html and category; only the variables travel.
    const { message_ids } = await client.send({
      from,
      to: [to],
      template_uuid: template.uuid,
      template_variables: variables,
    });
    log(`send: accepted, message id ${message_ids[0]}`);
    return { sent: 1, failed: 0 };
  } finally {
    await client.close();
  }
}

async function findOrCreate(client: MailtrapClient, uuid?: string): Promise<EmailTemplate> {
  const templates = await client.templates.list();
  const found = uuid
    ? templates.find((template) => template.uuid === uuid)
    : templates.find((template) => template.name === welcomeTemplate.name);
  if (found) return found;
  if (uuid) throw new Error(`MAILTRAP_TEMPLATE_UUID ${uuid} is not among the account's templates`);
  return client.templates.create(welcomeTemplate);
}
