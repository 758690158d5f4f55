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
    env: { MAILTRAP_API_TOKEN: emulator.token, ...env },
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
    const result = await cli(['lint']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'broken: error: subject: helper "uppercase" does not exist in Mailtrap templates',
    );
    expect(result.stdout).toContain('broken: error: html: partials are not supported by Mailtrap templates');
    expect(result.stdout).toContain('broken: error: variable "city" has no sample value in sample.json');
    expect(result.stdout).toContain(
      'broken: warning: optional variable "vip" has no sample value in sample.json',
    );
    expect(result.stdout).not.toContain('welcome:');
    expect(result.stdout).toContain('2 templates checked: 4 errors, 1 warning');
    await writeFile(
      join(folder(), 'welcome', 'sample.json'),
      JSON.stringify({ user: { name: 'Ada', nmae: 'x' }, items: [{ title: 'a', titel: 'b' }], extra: 1 }),
    );
    const warned = await cli(['lint', '--template', 'welcome']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(
      'welcome: warning: sample.json has "user.nmae", which the template does not use',
    );
    expect(warned.stdout).toContain('welcome: warning: sample.json has "items[].titel"');
    expect(warned.stdout).toContain('welcome: warning: sample.json has "extra"');
    await writeWelcome();
    const clean = await cli(['lint', '--template', 'Welcome']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('1 template checked: 0 errors, 0 warnings');
  });

  it('fails clearly on usage errors, a missing token and API errors, never printing the token', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).stderr).toContain('Unknown command "frobnicate"');
    expect((await cli(['push', '--bogus'])).code).toBe(2);
    const noToken = await cli(['pull'], { MAILTRAP_API_TOKEN: '' });
    expect(noToken).toMatchObject({
      code: 2,
      stderr: 'Set MAILTRAP_API_TOKEN to an API token of the account\n',
    });
    const badToken = 'not-the-right-token-1234567890';
    const unauthorized = await cli(['pull', '--endpoint', emulator.url], { MAILTRAP_API_TOKEN: badToken });
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toContain('HTTP 401');
    expect(unauthorized.stderr + unauthorized.stdout).not.toContain(badToken);
    const missingFolder = await cli(['push', '--endpoint', emulator.url]);
    expect(missingFolder).toMatchObject({ code: 1 });
    expect(missingFolder.stderr).toContain('no such folder');
    expect(missingFolder.stderr).not.toContain(emulator.token);
  });

  it('runs as a process: --help and lint through the bin entry', async () => {
    await writeWelcome();
    const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const run = promisify(execFile);
    // Run from the package directory so that `--import tsx` resolves the workspace's tsx.
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const help = await run(process.execPath, ['--import', 'tsx', cliPath, '--help'], { cwd });
    expect(help.stdout).toContain('Usage: mailtrap-templates <command> [options]');
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
