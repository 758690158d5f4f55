import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import {
  action,
  addConnectionOptions,
  type CliIo,
  type Command,
  type ConnectionFlags,
  clientOptions,
  createProgram,
  EXIT_CODES,
  jsonOption,
  Option,
  resolveConnection,
  runProgram,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import { MailtrapClient } from '@mailtrap-kit/core';
import { version } from '../package.json';
import { generateTypes } from './codegen';
import { type LocalTemplate, readTemplatesFolder } from './folder';
import { initTemplatesFolder } from './init';
import { type LintProblem, lintTemplate, problemPath, syntaxProblems } from './lint';
import { renderTemplate } from './render';
import { formatPullResult, formatPushPlan, pullTemplates, pushTemplates, TemplatesLintError } from './sync';

/** Where the CLI writes and what it reads; `processIo()` in the bin. */
export type CliContext = CliIo;

const userAgent = 'mailtrap-templates (@mailtrap-kit/templates)';

interface FolderOptions extends ConnectionFlags {
  dir: string;
  json?: boolean;
}

function dirOption(): Option {
  return new Option('--dir <path>', 'templates folder').default('./templates');
}

function templateOption(): Option {
  return new Option('--template <name>', 'only this template (its name or directory; default: all)');
}

function folderOf(io: CliIo, options: FolderOptions): { folder: string; shown: string } {
  const folder = resolve(io.cwd, options.dir);
  return { folder, shown: relative(io.cwd, folder) || '.' };
}

function selectTemplates(templates: LocalTemplate[], only: string | undefined): LocalTemplate[] {
  if (only === undefined) return templates;
  const selected = templates.filter((template) => template.name === only || template.directory === only);
  if (selected.length === 0) {
    const names = templates.map((template) => template.directory).join(', ') || 'none';
    throw new TemplatesLintError([
      {
        level: 'error',
        template: only,
        file: '',
        message: `no template named "${only}" (the folder has: ${names})`,
      },
    ]);
  }
  return selected;
}

function writeProblems(io: CliIo, shown: string, problems: LintProblem[]): void {
  for (const problem of problems) {
    io.stdout.write(`${problemPath(shown, problem)}: ${problem.level}: ${problem.message}\n`);
  }
}

/** Errors that stop rendering (syntax, helpers, partials), located by file and line. */
function templateErrors(templates: LocalTemplate[]): LintProblem[] {
  return templates.flatMap((template) => syntaxProblems(template).problems);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function previewPage(template: LocalTemplate, rendered: ReturnType<typeof renderTemplate>): string {
  const parts = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(rendered.subject)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:1.5rem}iframe{width:100%;height:70vh;border:1px solid #ccc}pre{white-space:pre-wrap;border:1px solid #ccc;padding:1rem}</style>',
    '</head><body>',
    `<p><small>${escapeHtml(template.name)} (${escapeHtml(template.category)})</small></p>`,
    `<h1>${escapeHtml(rendered.subject)}</h1>`,
  ];
  if (rendered.html !== undefined)
    parts.push(`<iframe title="HTML" srcdoc="${escapeHtml(rendered.html)}"></iframe>`);
  if (rendered.text !== undefined) parts.push(`<h2>Text</h2><pre>${escapeHtml(rendered.text)}</pre>`);
  parts.push('</body></html>', '');
  return parts.join('\n');
}

async function withClient<T>(
  command: Command,
  options: ConnectionFlags,
  run: (client: MailtrapClient) => Promise<T>,
): Promise<T> {
  const client = new MailtrapClient(clientOptions(resolveConnection(command, options), userAgent));
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The `mailtrap-templates` program, writing to `io`. */
export function createTemplatesProgram(io: CliIo): Command {
  const program = createProgram({
    name: 'mailtrap-templates',
    version,
    description:
      'Mailtrap templates as code: a folder with one directory per template, pulled from and pushed to an account',
    io,
    exitCodes: { failure: 'failure: an API error, an unreadable folder, lint errors, a refused push' },
  });

  withExamples(
    program
      .command('init')
      .description('create the templates folder with a first template (welcome/) to edit and push')
      .addOption(dirOption())
      .action(
        action(async (options: FolderOptions) => {
          const { folder, shown } = folderOf(io, options);
          const created = await initTemplatesFolder(folder);
          for (const file of created.files) io.stdout.write(`+ ${shown}/${created.directory}/${file}\n`);
          io.stdout.write(
            `Created ${shown}/${created.directory}/. Edit it, check it with \`mailtrap-templates lint\`, then \`mailtrap-templates push --yes\`.\n`,
          );
        }),
      ),
    'mailtrap-templates init --dir mail/templates',
  );

  withExamples(
    addConnectionOptions(
      program
        .command('pull')
        .description(
          "write the account's templates into the folder (creating it); a template edited in the folder and not pushed is kept and its diff shown",
        )
        .addOption(dirOption())
        .addOption(
          new Option('--force', "overwrite local edits that were not pushed with the account's version"),
        )
        .addOption(jsonOption()),
    ).action(
      action(async (options: FolderOptions & { force?: boolean }, command) => {
        const { folder, shown } = folderOf(io, options);
        const result = await withClient(command, options, (client) =>
          pullTemplates({ client, folder, force: options.force === true }),
        );
        if (options.json) writeJson(io, result);
        else io.stdout.write(formatPullResult(result, shown));
        return result.conflicts.length > 0 ? EXIT_CODES.failure : EXIT_CODES.success;
      }),
    ),
    'MAILTRAP_API_TOKEN=... mailtrap-templates pull --dir templates',
  );

  withExamples(
    addConnectionOptions(
      program
        .command('push')
        .description(
          "create or update the account's templates from the folder, matched by name (a dry run unless --yes); refused while lint finds errors",
        )
        .addOption(dirOption())
        .addOption(new Option('--yes', 'apply the changes (without it push only shows them)'))
        .addOption(jsonOption()),
    ).action(
      action(async (options: FolderOptions & { yes?: boolean }, command) => {
        const { folder, shown } = folderOf(io, options);
        const apply = options.yes === true;
        let result: Awaited<ReturnType<typeof pushTemplates>>;
        try {
          result = await withClient(command, options, (client) =>
            pushTemplates({ client, folder, dryRun: !apply }),
          );
        } catch (error) {
          if (!TemplatesLintError.isInstance(error)) throw error;
          writeProblems(io, shown, error.problems);
          io.stderr.write(`mailtrap-templates: ${error.message}\n`);
          return EXIT_CODES.failure;
        }
        if (options.json) {
          writeJson(io, result);
          return;
        }
        io.stdout.write(formatPushPlan(result, { diffs: !apply }));
        const pending = result.changes.some((change) => change.action !== 'unchanged');
        if (apply) io.stdout.write('Pushed.\n');
        else if (pending) io.stdout.write('Dry run: nothing was changed. Run again with --yes to apply.\n');
      }),
    ),
    'mailtrap-templates push            # shows the plan',
    'mailtrap-templates push --yes      # applies it',
  );

  withExamples(
    addConnectionOptions(
      program
        .command('diff')
        .description('show what push would change, with a diff per field')
        .addOption(dirOption())
        .addOption(new Option('--exit-code', 'exit with 1 when push would change something (for CI)'))
        .addOption(jsonOption()),
    ).action(
      action(async (options: FolderOptions & { exitCode?: boolean }, command) => {
        const { folder } = folderOf(io, options);
        const result = await withClient(command, options, (client) =>
          pushTemplates({ client, folder, dryRun: true }),
        );
        if (options.json) writeJson(io, result);
        else io.stdout.write(formatPushPlan(result, { diffs: true }));
        const pending = result.changes.some((change) => change.action !== 'unchanged');
        return options.exitCode && pending ? EXIT_CODES.failure : EXIT_CODES.success;
      }),
    ),
    'mailtrap-templates diff --exit-code',
  );

  withExamples(
    addConnectionOptions(
      program
        .command('preview')
        .description(
          'render each template with its sample.json (optional: empty variables without it) to an HTML file, or send it with --send',
        )
        .addOption(dirOption())
        .addOption(new Option('--out <path>', 'output directory').default('./preview'))
        .addOption(templateOption())
        .addOption(
          new Option(
            '--send',
            'send the rendered templates instead (with --endpoint, into the emulator inbox)',
          ),
        )
        .addOption(new Option('--from <email>', 'sender of --send').default('preview@mailtrap-kit.test'))
        .addOption(new Option('--to <email>', 'recipient of --send').default('preview@mailtrap-kit.test')),
    ).action(
      action(
        async (
          options: FolderOptions & {
            out: string;
            template?: string;
            send?: boolean;
            from: string;
            to: string;
          },
          command,
        ) => {
          const { folder, shown } = folderOf(io, options);
          const templates = selectTemplates(await readTemplatesFolder(folder), options.template);
          const problems = templateErrors(templates);
          if (problems.length > 0) {
            writeProblems(io, shown, problems);
            return EXIT_CODES.failure;
          }
          const rendered = templates.map((template) => ({
            template,
            rendered: renderTemplate(template, template.sample ?? {}),
          }));
          if (options.send) {
            await withClient(command, options, async (client) => {
              for (const { template, rendered: parts } of rendered) {
                const result = await client.send({
                  from: { email: options.from, name: 'Template preview' },
                  to: [{ email: options.to }],
                  subject: parts.subject,
                  ...(parts.html !== undefined ? { html: parts.html } : {}),
                  ...(parts.text !== undefined ? { text: parts.text } : {}),
                  category: template.category,
                });
                io.stdout.write(`Sent "${template.name}": ${result.message_ids.join(', ')}\n`);
              }
            });
            return;
          }
          const directory = resolve(io.cwd, options.out);
          await mkdir(directory, { recursive: true });
          for (const { template, rendered: parts } of rendered) {
            const file = join(directory, `${template.directory}.html`);
            await writeFile(file, previewPage(template, parts));
            io.stdout.write(
              `Rendered "${template.name}" -> ${relative(io.cwd, file)}${template.sample ? '' : ' (no sample.json: variables empty)'}\n`,
            );
          }
        },
      ),
    ),
    'mailtrap-templates preview --out preview && open preview/welcome.html',
    'mailtrap-templates preview --send --endpoint http://127.0.0.1:4025',
  );

  withExamples(
    program
      .command('types')
      .description("generate TypeScript types for the templates' variables (typed sends with defineTemplate)")
      .addOption(dirOption())
      .addOption(new Option('--out <file>', 'output file (default: stdout)'))
      .action(
        action(async (options: FolderOptions & { out?: string }) => {
          const { folder, shown } = folderOf(io, options);
          const templates = await readTemplatesFolder(folder);
          const problems = templateErrors(templates);
          if (problems.length > 0) {
            writeProblems(io, shown, problems);
            return EXIT_CODES.failure;
          }
          const source = generateTypes(templates);
          if (!options.out) {
            io.stdout.write(source);
            return;
          }
          const target = resolve(io.cwd, options.out);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, source);
          io.stdout.write(
            `Wrote types for ${plural(templates.length, 'template')} to ${relative(io.cwd, target)}\n`,
          );
        }),
      ),
    'mailtrap-templates types --out src/mail-templates.ts',
  );

  withExamples(
    program
      .command('lint')
      .description(
        'report syntax errors, helpers and partials Mailtrap lacks, and (with sample.json) variables without a sample value',
      )
      .addOption(dirOption())
      .addOption(templateOption())
      .addOption(jsonOption())
      .action(
        action(async (options: FolderOptions & { template?: string }) => {
          const { folder, shown } = folderOf(io, options);
          const templates = selectTemplates(await readTemplatesFolder(folder), options.template);
          const problems = templates.flatMap(lintTemplate);
          const errors = problems.filter((problem) => problem.level === 'error').length;
          if (options.json) writeJson(io, { templates: templates.length, errors, problems });
          else {
            writeProblems(io, shown, problems);
            io.stdout.write(
              `${plural(templates.length, 'template')} checked: ${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')}\n`,
            );
          }
          return errors > 0 ? EXIT_CODES.failure : EXIT_CODES.success;
        }),
      ),
    'mailtrap-templates lint --template welcome',
  );

  return program;
}

/** Runs the `mailtrap-templates` command line; resolves with the exit code. */
export function runCli(argv: string[], io: CliIo): Promise<number> {
  return runProgram(createTemplatesProgram(io), argv);
}
