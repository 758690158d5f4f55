import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MailtrapClient } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './command';
import { readTemplatesFolder, writeTemplateDirectory } from './folder';

let emulator: RunningEmulator;
let client: MailtrapClient;
let workspace: string;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new MailtrapClient({ token: emulator.token, endpoints: { general: emulator.url }, retry: false });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'mtk-templates-cli-'));
  for (const template of await client.templates.list()) await client.templates.delete(template.id);
  emulator.reset();
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { MAILTRAP_API_TOKEN: emulator.token, MAILTRAP_CONFIG: join(workspace, 'no-config.json'), ...env },
    cwd: workspace,
  });
  return { code, stdout, stderr };
}

const folder = () => join(workspace, 'templates');

async function writeWelcome(subject = 'Welcome, {{user.name}}') {
  await writeTemplateDirectory(folder(), 'welcome', {
    name: 'Welcome',
    category: 'onboarding',
    subject,
    body_html: '<h1>Hi {{user.name}}</h1>{{#each items}}<p>{{title}}</p>{{/each}}',
    body_text: 'Hi {{user.name}}',
  });
  await writeFile(
    join(folder(), 'welcome', 'sample.json'),
    JSON.stringify({ user: { name: "Ada & O'Neil" }, items: [{ title: 'First' }] }),
  );
}

describe('mailtrap-templates CLI', () => {
  it('push is a dry run until --yes, creates by name, then is idempotent', async () => {
    await writeWelcome();
    const dry = await cli(['push', '--endpoint', emulator.url]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ create "Welcome" (welcome/)');
    expect(dry.stdout).toContain('Dry run: nothing was changed. Run again with --yes to apply.');
    expect(await client.templates.list()).toEqual([]);

    const applied = await cli(['push', '--yes', '--endpoint', emulator.url]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Pushed.');
    const [remote] = await client.templates.list();
    expect(remote).toMatchObject({
      name: 'Welcome',
      subject: 'Welcome, {{user.name}}',
      category: 'onboarding',
    });
    expect((await readTemplatesFolder(folder()))[0]!.uuid).toBe(remote!.uuid);

    const again = await cli(['push', '--yes', '--endpoint', emulator.url]);
    expect(again.stdout).toContain('0 to create, 0 to update, 1 unchanged');
    expect((await cli(['diff', '--exit-code', '--endpoint', emulator.url])).code).toBe(0);
    expect((await client.templates.list()).length).toBe(1);
  });

  it('diff shows the field diff push would apply, using the account path form with --account-id', async () => {
    await writeWelcome();
    await cli(['push', '--yes', '--endpoint', emulator.url]);
    await writeWelcome('Welcome aboard, {{user.name}}');
    const diff = await cli(['diff', '--endpoint', emulator.url, '--account-id', String(emulator.accountId)]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('~ update "Welcome" (welcome/): subject');
    expect(diff.stdout).toContain('-Welcome, {{user.name}}');
    expect(diff.stdout).toContain('+Welcome aboard, {{user.name}}');
    expect(diff.stdout).toContain('0 to create, 1 to update, 0 unchanged');
    const last = emulator.requests().at(-1)!;
    expect(last.path).toBe(`/api/accounts/${emulator.accountId}/email_templates`);
    expect((await client.templates.list())[0]!.subject).toBe('Welcome, {{user.name}}');
    expect((await cli(['diff', '--exit-code', '--endpoint', emulator.url])).code).toBe(1);
  });

  it('pull writes the account into the folder', async () => {
    await client.templates.create({
      name: 'Password reset',
      subject: 'Reset your password',
      category: 'auth',
      body_text: 'Open {{link}}',
    });
    const result = await cli(['pull', '--endpoint', emulator.url, '--dir', 'mail']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"Password reset" -> password-reset/');
    expect(await readFile(join(workspace, 'mail', 'password-reset', 'text.hbs'), 'utf8')).toBe(
      'Open {{link}}',
    );
    expect((await readdir(join(workspace, 'mail', 'password-reset'))).sort()).toEqual([
      'subject.hbs',
      'template.json',
      'text.hbs',
    ]);
  });

  it('preview renders each template with its sample to an HTML file', async () => {
    await writeWelcome();
    const result = await cli(['preview', '--out', 'out']);
    expect(result.code).toBe(0);
    const page = await readFile(join(workspace, 'out', 'welcome.html'), 'utf8');
    expect(page).toContain('<title>Welcome, Ada &#38;amp; O&#38;apos;Neil</title>');
    expect(page).toContain(
      'srcdoc="&#60;h1&#62;Hi Ada &#38;amp; O&#38;apos;Neil&#60;/h1&#62;&#60;p&#62;First&#60;/p&#62;"',
    );
    expect(page).toContain('<pre>Hi Ada &#38;amp; O&#38;apos;Neil</pre>');
  });

  it("preview --send puts the rendered template into the emulator's inbox", async () => {
    await writeWelcome();
    const result = await cli(['preview', '--send', '--endpoint', emulator.url, '--to', 'qa@example.com']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sent "Welcome": \S+/);
    const [message] = emulator.messages();
    expect(message).toMatchObject({
      subject: 'Welcome, Ada &amp; O&apos;Neil',
      html: '<h1>Hi Ada &amp; O&apos;Neil</h1><p>First</p>',
      text: 'Hi Ada &amp; O&apos;Neil',
      to: [{ email: 'qa@example.com' }],
    });
  });

  it('types writes the generated TypeScript to --out or stdout', async () => {
    await writeWelcome();
    const printed = await cli(['types']);
    expect(printed.stdout).toContain(
      'export interface WelcomeVariables {\n  user: {\n    name: string | number | boolean;\n  };\n  items: Array<{\n    title: string | number | boolean;\n  }>;\n}',
    );
    expect(printed.stdout).not.toContain('defineTemplate<');
    await cli(['push', '--yes', '--endpoint', emulator.url]);
    const written = await cli(['types', '--out', 'src/templates.ts']);
    expect(written.code).toBe(0);
    const source = await readFile(join(workspace, 'src', 'templates.ts'), 'utf8');
    expect(source).toContain('export const welcome = defineTemplate<WelcomeVariables>({');
    expect(source).toContain(`uuid: "${(await client.templates.list())[0]!.uuid}"`);
  });

  it('lint reports unknown helpers, partials and variables without a sample value', async () => {
    await writeWelcome();
    await writeTemplateDirectory(folder(), 'broken', {
      name: 'Broken',
      category: 'c',
      subject: '{{uppercase name}}',
      body_html: '{{> footer}}{{#if vip}}{{vip.level}}{{/if}}{{city}}',
    });
    await writeFile(join(folder(), 'broken', 'sample.json'), '{}');
    const result = await cli(['lint']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'templates/broken/subject.hbs:1: error: helper "uppercase" does not exist in Mailtrap templates',
    );
    expect(result.stdout).toContain(
      'templates/broken/html.hbs:1: error: partials are not supported by Mailtrap templates',
    );
    expect(result.stdout).toContain(
      'templates/broken/sample.json: error: variable "city" has no sample value',
    );
    expect(result.stdout).toContain(
      'templates/broken/sample.json: warning: optional variable "vip" has no sample value',
    );
    expect(result.stdout).not.toContain('welcome/');
    expect(result.stdout).toContain('2 templates checked: 4 errors, 1 warning');
    await writeFile(
      join(folder(), 'welcome', 'sample.json'),
      JSON.stringify({ user: { name: 'Ada', nmae: 'x' }, items: [{ title: 'a', titel: 'b' }], extra: 1 }),
    );
    const warned = await cli(['lint', '--template', 'welcome']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(
      'templates/welcome/sample.json: warning: has "user.nmae", which the template does not use',
    );
    expect(warned.stdout).toContain('templates/welcome/sample.json: warning: has "items[].titel"');
    expect(warned.stdout).toContain('templates/welcome/sample.json: warning: has "extra"');
    await writeWelcome();
    const clean = await cli(['lint', '--template', 'Welcome']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('1 template checked: 0 errors, 0 warnings');
  });

  it('fails clearly on usage errors, a missing token and API errors, never printing the token', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).stderr).toContain('unknown command frobnicate');
    const typo = await cli(['push', '--yse']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option --yse: did you mean --yes?');
    const noToken = await cli(['pull'], { MAILTRAP_API_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(
      'mailtrap-templates: No API token. Set MAILTRAP_API_TOKEN, pass --token <token>',
    );
    const badToken = 'not-the-right-token-1234567890';
    const unauthorized = await cli(['pull', '--endpoint', emulator.url], { MAILTRAP_API_TOKEN: badToken });
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toContain('HTTP 401');
    expect(unauthorized.stderr + unauthorized.stdout).not.toContain(badToken);
    const missingFolder = await cli(['push', '--endpoint', emulator.url]);
    expect(missingFolder).toMatchObject({ code: 1 });
    expect(missingFolder.stderr).toContain(
      'no such folder (run `mailtrap-templates init` for a first template',
    );
    expect(missingFolder.stderr).not.toContain(emulator.token);
  });

  it('init creates a first template that lints clean, previews and pushes; it refuses a folder with templates', async () => {
    const init = await cli(['init']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('+ templates/welcome/template.json');
    expect(init.stdout).toContain('+ templates/welcome/sample.json');
    expect((await readdir(join(folder(), 'welcome'))).sort()).toEqual([
      'html.hbs',
      'sample.json',
      'subject.hbs',
      'template.json',
      'text.hbs',
    ]);
    expect((await cli(['lint'])).stdout).toContain('1 template checked: 0 errors, 0 warnings');
    expect((await cli(['preview'])).code).toBe(0);
    expect(await readFile(join(workspace, 'preview', 'welcome.html'), 'utf8')).toContain('Hi Ada,');
    expect((await cli(['push', '--yes', '--endpoint', emulator.url])).code).toBe(0);
    expect((await client.templates.list()).map((template) => template.category)).toEqual(['onboarding']);
    const again = await cli(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds 1 template; init only starts a new folder');
  });

  it('pull of an account without templates says so and creates the folder', async () => {
    const result = await cli(['pull', '--endpoint', emulator.url, '--dir', 'fresh/templates']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'The account has no templates; fresh/templates is ready (create one with `mailtrap-templates init`, then push).\n',
    );
    expect(await readdir(join(workspace, 'fresh', 'templates'))).toEqual([]);
  });

  it('pull keeps an unpushed local edit and shows the diff (exit 1) until --force', async () => {
    await client.templates.create({
      name: 'Promo',
      subject: 'Sale',
      category: 'marketing',
      body_text: 'Now',
    });
    expect((await cli(['pull', '--endpoint', emulator.url])).code).toBe(0);
    await writeFile(join(folder(), 'promo', 'text.hbs'), 'Now, with my local edit');
    const [remote] = await client.templates.list();
    await client.templates.update(remote!.id, { body_text: 'Now, edited in the account' });
    const kept = await cli(['pull', '--endpoint', emulator.url]);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain('! kept     "Promo" (promo/): edited in the folder and not pushed');
    expect(kept.stdout).toContain('--- folder/promo/text.hbs');
    expect(kept.stdout).toContain('+++ account/promo/text.hbs');
    expect(kept.stdout).toContain('-Now, with my local edit');
    expect(kept.stdout).toContain('+Now, edited in the account');
    expect(await readFile(join(folder(), 'promo', 'text.hbs'), 'utf8')).toBe('Now, with my local edit');
    const json = await cli(['pull', '--endpoint', emulator.url, '--json']);
    expect(JSON.parse(json.stdout).conflicts[0].fields[0]).toEqual({
      field: 'body_text',
      before: 'Now, with my local edit',
      after: 'Now, edited in the account',
    });
    const forced = await cli(['pull', '--endpoint', emulator.url, '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(join(folder(), 'promo', 'text.hbs'), 'utf8')).toBe('Now, edited in the account');
  });

  it('push refuses what lint rejects, naming file and line, and uploads nothing', async () => {
    await writeWelcome();
    await writeTemplateDirectory(folder(), 'footer', {
      name: 'Footer',
      category: 'c',
      subject: 'Footer',
      body_html: '<p>\n{{lookup links 0}}</p>',
    });
    const before = emulator.requests().length;
    const refused = await cli(['push', '--yes', '--endpoint', emulator.url]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(
      'templates/footer/html.hbs:2: error: helper "lookup" does not exist in Mailtrap templates (only if, unless, each, with)\n',
    );
    expect(refused.stderr).toBe(
      'mailtrap-templates: Nothing was pushed: 1 lint error in footer (run `mailtrap-templates lint`)\n',
    );
    expect(emulator.requests().length).toBe(before);
    expect(await client.templates.list()).toEqual([]);
  });

  it('preview, types and lint name the folder, file and line of a template error', async () => {
    await writeTemplateDirectory(folder(), 'order', {
      name: 'Order',
      category: 'orders',
      subject: 'Order {{id}}',
      body_html: '<h1>Order</h1>\n<p>{{name}</p>\n',
    });
    for (const argv of [['preview'], ['types'], ['lint']]) {
      const result = await cli(argv);
      expect(result.code, argv[0]).toBe(1);
      expect(result.stdout, argv[0]).toMatch(
        /^templates\/order\/html\.hbs:2: error: Cannot parse the template's body_html: Parse error on line 2/m,
      );
    }
  });

  it('sample.json is optional: lint, preview and types work without it', async () => {
    await writeTemplateDirectory(folder(), 'plain', {
      name: 'Plain',
      category: 'c',
      subject: 'Hi {{name}}',
      body_text: 'Hello {{name}}, your code is {{code}}',
    });
    expect((await cli(['lint'])).stdout).toBe('1 template checked: 0 errors, 0 warnings\n');
    const preview = await cli(['preview']);
    expect(preview).toMatchObject({ code: 0 });
    expect(preview.stdout).toContain(
      'Rendered "Plain" -> preview/plain.html (no sample.json: variables empty)',
    );
    expect((await cli(['types'])).stdout).toContain('export interface PlainVariables {');
  });

  it('help shows each option with its default and an example', async () => {
    const help = await cli(['preview', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--dir <path>\s+templates folder \(default: "\.\/templates"\)/);
    expect(help.stdout).toMatch(
      /--from <email>\s+sender of --send \(default:\s+"preview@mailtrap-kit\.test"\)/,
    );
    expect(help.stdout).toContain('Examples:\n  $ mailtrap-templates preview --out preview');
    const root = await cli(['--help']);
    expect(root.stdout).toContain('Exit codes:');
    for (const name of ['init', 'pull', 'push', 'diff', 'preview', 'types', 'lint', 'completion']) {
      expect(root.stdout).toMatch(new RegExp(`\\n  ${name}\\b`));
    }
  });

  it('runs as a process: --help and lint through the bin entry', async () => {
    await writeWelcome();
    const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const run = promisify(execFile);
    // Run from the package directory so that `--import tsx` resolves the workspace's tsx.
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const help = await run(process.execPath, ['--import', 'tsx', cliPath, '--help'], { cwd });
    expect(help.stdout).toContain('Usage: mailtrap-templates [options] [command]');
    const version = await run(process.execPath, ['--import', 'tsx', cliPath, '--version'], { cwd });
    expect(version.stdout).toBe(`${JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')).version}\n`);
    const lint = await run(process.execPath, ['--import', 'tsx', cliPath, 'lint', '--dir', folder()], {
      cwd,
    });
    expect(lint.stdout).toContain('1 template checked: 0 errors, 0 warnings');
    const failed = await run(
      process.execPath,
      ['--import', 'tsx', cliPath, 'lint', '--dir', join(workspace, 'none')],
      {
        cwd,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('no such folder');
  }, 60_000);
});
