import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapConfigurationError,
  MailtrapError,
} from '@mailtrap-kit/core';
import { generateTypes } from './codegen';
import { type LocalTemplate, readTemplatesFolder, TemplatesFolderError } from './folder';
import { renderTemplate, TemplateRenderError } from './render';
import { analyzeTemplate, findMissingVariables, type VariableSchema, type VariableSpec } from './schema';
import { formatPushPlan, pullTemplates, pushTemplates, validateTemplateInput } from './sync';

/** Where the CLI writes and what it reads; `process` by default. */
export interface CliContext {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
}

const usage = `Usage: mailtrap-templates <command> [options]

Commands:
  pull      write the account's templates into the folder
  push      create or update the account's templates from the folder (dry run unless --yes)
  diff      show what push would change
  preview   render each template with its sample.json to an HTML file (--out), or send it (--send)
  types     generate TypeScript types for the templates' variables (--out file, else stdout)
  lint      report syntax errors, helpers Mailtrap lacks, variables without a sample value

Options:
  --dir <path>          templates folder (default: ./templates)
  --endpoint <url>      API host, e.g. a local emulator (default: https://mailtrap.io; preview --send
                        also sends there instead of https://send.api.mailtrap.io)
  --account-id <id>     use /api/accounts/{id}/email_templates (or MAILTRAP_ACCOUNT_ID); default /api/email_templates
  --yes                 push: apply the changes (without it push only shows them)
  --exit-code           diff: exit with 1 when push would change something (for CI)
  --out <path>          preview: output directory (default: ./preview); types: output file
  --template <name>     preview/lint: only this template (name or directory)
  --send                preview: send the rendered templates (to the emulator's inbox with --endpoint)
  --from <email>        preview --send: sender (default: preview@mailtrap-kit.test)
  --to <email>          preview --send: recipient (default: preview@mailtrap-kit.test)
  --help                this text

The API token is read from MAILTRAP_API_TOKEN and never printed.
`;

/** A mistake on the command line (code `configuration`): printed with the usage, never as a crash. */
class UsageError extends MailtrapConfigurationError {}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: 'string' },
      endpoint: { type: 'string' },
      'account-id': { type: 'string' },
      yes: { type: 'boolean' },
      'exit-code': { type: 'boolean' },
      out: { type: 'string' },
      template: { type: 'string' },
      send: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type Parsed = ReturnType<typeof parse>['values'];

function createClient(values: Parsed, context: CliContext): MailtrapClient {
  const token = context.env.MAILTRAP_API_TOKEN;
  if (!token) throw new UsageError('Set MAILTRAP_API_TOKEN to an API token of the account');
  const options: MailtrapClientOptions = { token, userAgent: 'mailtrap-templates (@mailtrap-kit/templates)' };
  const accountId = values['account-id'] ?? context.env.MAILTRAP_ACCOUNT_ID;
  if (accountId !== undefined && accountId !== '') {
    if (!/^[1-9][0-9]*$/.test(accountId))
      throw new UsageError(`--account-id must be a positive integer, got ${accountId}`);
    options.accountId = accountId;
  }
  if (values.endpoint) {
    let url: URL;
    try {
      url = new URL(values.endpoint);
    } catch {
      throw new UsageError(`--endpoint must be a URL like http://127.0.0.1:4025, got ${values.endpoint}`);
    }
    const base = url.href.replace(/\/$/, '');
    options.endpoints = { general: base, send: base };
  }
  return new MailtrapClient(options);
}

function selectTemplates(templates: LocalTemplate[], only: string | undefined): LocalTemplate[] {
  if (only === undefined) return templates;
  const selected = templates.filter((template) => template.name === only || template.directory === only);
  if (selected.length === 0) throw new UsageError(`No template named "${only}" in the folder`);
  return selected;
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

/** Every leaf path of a schema with whether the template can do without it. */
function stripOptional(schema: VariableSchema): VariableSchema {
  const strip = (spec: VariableSpec): VariableSpec => {
    const copy: VariableSpec = { type: spec.type };
    if (spec.properties) copy.properties = stripOptional(spec.properties);
    if (spec.items) copy.items = strip(spec.items);
    return copy;
  };
  return Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, strip(spec)]));
}

/** Sample values the template never uses (often a misspelled variable name), by path. */
function unusedSampleValues(schema: VariableSchema, sample: unknown, prefix = ''): string[] {
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return [];
  const unused: string[] = [];
  for (const [name, value] of Object.entries(sample)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const spec = schema[name];
    if (!spec) unused.push(path);
    else if (spec.type === 'object' && spec.properties)
      unused.push(...unusedSampleValues(spec.properties, value, path));
    else if (
      spec.type === 'array' &&
      spec.items?.type === 'object' &&
      spec.items.properties &&
      Array.isArray(value)
    ) {
      const properties = spec.items.properties;
      const seen = new Set<string>();
      for (const item of value) {
        for (const itemPath of unusedSampleValues(properties, item, `${path}[]`)) seen.add(itemPath);
      }
      unused.push(...seen);
    }
  }
  return unused;
}

interface LintProblem {
  level: 'error' | 'warning';
  template: string;
  message: string;
}

function lintTemplate(template: LocalTemplate): LintProblem[] {
  const problems: LintProblem[] = [];
  const add = (level: LintProblem['level'], message: string) =>
    problems.push({ level, template: template.directory, message });
  try {
    validateTemplateInput(template);
  } catch (error) {
    add('error', (error as Error).message);
  }
  let analysis: ReturnType<typeof analyzeTemplate>;
  try {
    analysis = analyzeTemplate(template);
  } catch (error) {
    add('error', (error as Error).message);
    return problems;
  }
  for (const helper of analysis.unknownHelpers) {
    add(
      'error',
      `${helper.part}: helper "${helper.name}" does not exist in Mailtrap templates (only if, unless, each, with)`,
    );
  }
  for (const feature of analysis.unsupported) {
    add('error', `${feature.part}: ${feature.feature}s are not supported by Mailtrap templates`);
  }
  const sample = template.sample ?? {};
  const required = new Set(findMissingVariables(analysis.variables, sample).map((missing) => missing.path));
  for (const missing of findMissingVariables(stripOptional(analysis.variables), sample)) {
    if (required.has(missing.path)) {
      add('error', `variable "${missing.path}" has no sample value in sample.json`);
    } else {
      add('warning', `optional variable "${missing.path}" has no sample value in sample.json`);
    }
  }
  for (const path of unusedSampleValues(analysis.variables, sample)) {
    add('warning', `sample.json has "${path}", which the template does not use (a misspelled name?)`);
  }
  if (problems.every((problem) => problem.level === 'warning')) {
    try {
      renderTemplate(template, sample);
    } catch (error) {
      add('error', (error as Error).message);
    }
  }
  return problems;
}

async function run(command: string, values: Parsed, context: CliContext): Promise<number> {
  const folder = resolve(context.cwd, values.dir ?? 'templates');
  const out = (text: string) => context.stdout.write(text);
  switch (command) {
    case 'pull': {
      const client = createClient(values, context);
      try {
        const result = await pullTemplates({ client, folder });
        for (const entry of result.written) {
          out(`${entry.created ? '+ new      ' : '  updated  '} "${entry.name}" -> ${entry.directory}/\n`);
        }
        for (const name of result.localOnly) out(`  only in the folder (left alone): "${name}"\n`);
        out(
          `Pulled ${result.written.length} template${result.written.length === 1 ? '' : 's'} into ${folder}\n`,
        );
        return 0;
      } finally {
        await client.close();
      }
    }
    case 'diff':
    case 'push': {
      const client = createClient(values, context);
      try {
        const apply = command === 'push' && values.yes === true;
        const result = await pushTemplates({ client, folder, dryRun: !apply });
        out(formatPushPlan(result, { diffs: command === 'diff' || !apply }));
        if (command === 'push') {
          const pending = result.changes.some((change) => change.action !== 'unchanged');
          if (apply) out('Pushed.\n');
          else if (pending) out('Dry run: nothing was changed. Run again with --yes to apply.\n');
        }
        if (command === 'diff' && values['exit-code']) {
          return result.changes.some((change) => change.action !== 'unchanged') ? 1 : 0;
        }
        return 0;
      } finally {
        await client.close();
      }
    }
    case 'types': {
      const templates = await readTemplatesFolder(folder);
      const source = generateTypes(templates);
      if (values.out) {
        const target = resolve(context.cwd, values.out);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, source);
        out(
          `Wrote types for ${templates.length} template${templates.length === 1 ? '' : 's'} to ${target}\n`,
        );
      } else {
        out(source);
      }
      return 0;
    }
    case 'lint': {
      const templates = selectTemplates(await readTemplatesFolder(folder), values.template);
      const problems = templates.flatMap(lintTemplate);
      for (const problem of problems) out(`${problem.template}: ${problem.level}: ${problem.message}\n`);
      const errors = problems.filter((problem) => problem.level === 'error').length;
      out(
        `${templates.length} template${templates.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'}\n`,
      );
      return errors > 0 ? 1 : 0;
    }
    case 'preview': {
      const templates = selectTemplates(await readTemplatesFolder(folder), values.template);
      if (values.send) {
        const client = createClient(values, context);
        try {
          for (const template of templates) {
            const rendered = renderTemplate(template, template.sample ?? {});
            const result = await client.send({
              from: { email: values.from ?? 'preview@mailtrap-kit.test', name: 'Template preview' },
              to: [{ email: values.to ?? 'preview@mailtrap-kit.test' }],
              subject: rendered.subject,
              ...(rendered.html !== undefined ? { html: rendered.html } : {}),
              ...(rendered.text !== undefined ? { text: rendered.text } : {}),
              category: template.category,
            });
            out(`Sent "${template.name}": ${result.message_ids.join(', ')}\n`);
          }
        } finally {
          await client.close();
        }
        return 0;
      }
      const directory = resolve(context.cwd, values.out ?? 'preview');
      await mkdir(directory, { recursive: true });
      for (const template of templates) {
        const rendered = renderTemplate(template, template.sample ?? {});
        const file = join(directory, `${template.directory}.html`);
        await writeFile(file, previewPage(template, rendered));
        out(`Rendered "${template.name}" -> ${file}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

/** Runs the `mailtrap-templates` command line; resolves with the exit code. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    context.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') {
    (command === undefined && !parsed.values.help ? context.stderr : context.stdout).write(usage);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  if (extra.length > 0) {
    context.stderr.write(`Unexpected argument "${extra[0]}"\n\n${usage}`);
    return 2;
  }
  try {
    return await run(command, parsed.values, context);
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (
      MailtrapError.isInstance(error) ||
      TemplatesFolderError.isInstance(error) ||
      TemplateRenderError.isInstance(error)
    ) {
      const detail = MailtrapError.isInstance(error) && error.status ? ` (HTTP ${error.status})` : '';
      context.stderr.write(`${error.message}${detail}\n`);
      return 1;
    }
    throw error;
  }
}
