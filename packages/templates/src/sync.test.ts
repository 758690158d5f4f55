import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailtrapClient, MailtrapNotFoundError, MailtrapValidationError } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, readTemplatesFolder, writeTemplateDirectory } from './folder';
import {
  formatPullResult,
  formatPushPlan,
  planPush,
  pullTemplates,
  pushTemplates,
  TemplatesLintError,
} from './sync';
import { validateTemplateInput } from './validate';

let emulator: RunningEmulator;
const clients: MailtrapClient[] = [];
let folder: string;

function client(form: 'token' | 'account'): MailtrapClient {
  const created = new MailtrapClient({
    token: emulator.token,
    endpoints: { general: emulator.endpoints.general },
    retry: false,
    ...(form === 'account' ? { accountId: emulator.accountId } : {}),
  });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await emulator.close();
});
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mtk-templates-sync-'));
  const existing = await client('token').templates.list();
  for (const template of existing) await client('token').templates.delete(template.id);
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe.each(['token', 'account'] as const)('Templates API through core (%s-scoped paths)', (form) => {
  it('creates, lists, gets, updates and deletes a template', async () => {
    const api = client(form).templates;
    const created = await api.create({
      name: 'Welcome',
      subject: 'Hi {{name}}',
      category: 'onboarding',
      body_html: '<p>Hi {{name}}</p>',
    });
    expect(created).toMatchObject({ name: 'Welcome', subject: 'Hi {{name}}', category: 'onboarding' });
    expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api.list()).map((template) => template.id)).toEqual([created.id]);
    expect(await api.get(created.id)).toMatchObject({ id: created.id, body_html: '<p>Hi {{name}}</p>' });
    const updated = await api.update(created.id, { subject: 'Hello {{name}}' });
    expect(updated).toMatchObject({
      id: created.id,
      subject: 'Hello {{name}}',
      body_html: '<p>Hi {{name}}</p>',
    });
    await api.delete(created.id);
    await expect(api.get(created.id)).rejects.toBeInstanceOf(MailtrapNotFoundError);
    const paths = emulator
      .requests()
      .slice(-6)
      .map((record) => `${record.method} ${record.path}`);
    const base =
      form === 'account' ? `/api/accounts/${emulator.accountId}/email_templates` : '/api/email_templates';
    expect(paths).toEqual([
      `POST ${base}`,
      `GET ${base}`,
      `GET ${base}/${created.id}`,
      `PATCH ${base}/${created.id}`,
      `DELETE ${base}/${created.id}`,
      `GET ${base}/${created.id}`,
    ]);
  });

  it('pushes a folder (create, then update by name, idempotent) and pulls it back', async () => {
    const api = client(form);
    await writeTemplateDirectory(folder, 'welcome', {
      name: 'Welcome',
      category: 'onboarding',
      subject: 'Hi {{user.name}}',
      body_html: '<p>Hi {{user.name}}</p>',
      body_text: 'Hi {{user.name}}',
    });
    const first = await pushTemplates({ client: api, folder });
    expect(first.changes.map((change) => change.action)).toEqual(['create']);
    const [remote] = await api.templates.list();
    expect(remote).toMatchObject({ name: 'Welcome', body_text: 'Hi {{user.name}}' });
    expect((await readTemplatesFolder(folder))[0]!.uuid).toBe(remote!.uuid);

    const again = await pushTemplates({ client: api, folder });
    expect(again.changes.map((change) => change.action)).toEqual(['unchanged']);

    await writeFile(join(folder, 'welcome', 'subject.hbs'), 'Welcome aboard, {{user.name}}\n');
    const plan = await planPush({ client: api, folder });
    expect(plan.changes).toMatchObject([
      {
        action: 'update',
        fields: [{ field: 'subject', before: 'Hi {{user.name}}', after: 'Welcome aboard, {{user.name}}' }],
      },
    ]);
    const text = formatPushPlan(plan);
    expect(text).toContain('~ update "Welcome" (welcome/): subject');
    expect(text).toContain('-Hi {{user.name}}');
    expect(text).toContain('+Welcome aboard, {{user.name}}');

    const dry = await pushTemplates({ client: api, folder, dryRun: true });
    expect(dry.applied).toBe(false);
    expect((await api.templates.get(remote!.id)).subject).toBe('Hi {{user.name}}');
    await pushTemplates({ client: api, folder });
    expect((await api.templates.get(remote!.id)).subject).toBe('Welcome aboard, {{user.name}}');

    const pulled = await mkdtemp(join(tmpdir(), 'mtk-templates-pull-'));
    try {
      const result = await pullTemplates({ client: api, folder: pulled });
      expect(result.written).toEqual([{ name: 'Welcome', directory: 'welcome', created: true }]);
      const [local] = await readTemplatesFolder(pulled);
      expect(local).toMatchObject({
        name: 'Welcome',
        category: 'onboarding',
        uuid: remote!.uuid,
        subject: 'Welcome aboard, {{user.name}}',
        body_html: '<p>Hi {{user.name}}</p>',
        body_text: 'Hi {{user.name}}',
      });
    } finally {
      await rm(pulled, { recursive: true, force: true });
    }
  });
});

describe('pull and push details', () => {
  it('pull writes into the directory that holds the name, keeps sample.json, reports local-only templates', async () => {
    const api = client('token');
    await api.templates.create({
      name: 'Reset password',
      subject: 'Reset',
      category: 'auth',
      body_text: 'Go',
    });
    await writeTemplateDirectory(folder, 'reset', {
      name: 'Reset password',
      category: 'auth',
      subject: 'Old',
      body_text: 'x',
    });
    await writeFile(join(folder, 'reset', 'sample.json'), '{"link":"https://example.com"}');
    await writeTemplateDirectory(folder, 'draft', {
      name: 'Draft',
      category: 'misc',
      subject: 'D',
      body_text: 'd',
    });
    const result = await pullTemplates({ client: api, folder });
    expect(result).toEqual({
      written: [{ name: 'Reset password', directory: 'reset', created: false }],
      unchanged: [],
      conflicts: [],
      localOnly: ['Draft'],
      remoteCount: 1,
    });
    expect(await readFile(join(folder, 'reset', 'subject.hbs'), 'utf8')).toBe('Reset\n');
    expect(await readFile(join(folder, 'reset', 'sample.json'), 'utf8')).toBe(
      '{"link":"https://example.com"}',
    );
  });

  it('push leaves templates only in the account alone and clears a removed body', async () => {
    const api = client('token');
    const other = await api.templates.create({ name: 'Other', subject: 'O', category: 'c', body_text: 'o' });
    const mine = await api.templates.create({
      name: 'Mine',
      subject: 'M',
      category: 'c',
      body_text: 't',
      body_html: '<p>h</p>',
    });
    await writeTemplateDirectory(folder, 'mine', {
      name: 'Mine',
      category: 'c',
      subject: 'M',
      body_text: 't',
    });
    const result = await pushTemplates({ client: api, folder });
    expect(result.remoteOnly.map((template) => template.id)).toEqual([other.id]);
    expect(result.changes).toMatchObject([{ action: 'update', fields: [{ field: 'body_html', after: '' }] }]);
    expect((await api.templates.get(mine.id)).body_html ?? '').toBe('');
    expect(await api.templates.get(other.id)).toMatchObject({ name: 'Other' });
  });

  it('refuses to push a template over Mailtrap limits before sending anything', async () => {
    const api = client('token');
    await writeTemplateDirectory(folder, 'long', {
      name: 'x'.repeat(256),
      category: 'c',
      subject: 's',
      body_text: 't',
    });
    const before = emulator.requests().length;
    const error = await pushTemplates({ client: api, folder }).catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect(TemplatesLintError.isInstance(error)).toBe(true);
    expect((error as TemplatesLintError).problems).toMatchObject([
      {
        level: 'error',
        template: 'long',
        file: 'template.json',
        message: expect.stringMatching(/`name` is 256 characters long/),
      },
    ]);
    expect(emulator.requests().length).toBe(before);
  });

  it('refuses to push any template lint rejects (syntax, helpers, partials), before uploading the others', async () => {
    const api = client('token');
    await writeTemplateDirectory(folder, 'good', {
      name: 'Good',
      category: 'c',
      subject: 'Hi',
      body_text: 'ok',
    });
    await writeTemplateDirectory(folder, 'syntax', {
      name: 'Syntax',
      category: 'c',
      subject: 'S',
      body_html: '<p>\n{{#if x}}open\n',
    });
    await writeTemplateDirectory(folder, 'helper', {
      name: 'Helper',
      category: 'c',
      subject: 'H',
      body_text: 'line one\n{{uppercase name}}\n{{> footer}}',
    });
    const before = emulator.requests().length;
    const error = (await pushTemplates({ client: api, folder }).catch(
      (caught: unknown) => caught,
    )) as TemplatesLintError;
    expect(TemplatesLintError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Nothing was pushed: 3 lint errors in helper, syntax (run `mailtrap-templates lint`)',
    );
    expect(error.problems).toMatchObject([
      {
        template: 'helper',
        file: 'text.hbs',
        line: 2,
        message: expect.stringContaining('helper "uppercase"'),
      },
      {
        template: 'helper',
        file: 'text.hbs',
        line: 3,
        message: 'partials are not supported by Mailtrap templates',
      },
      { template: 'syntax', file: 'html.hbs', line: 3, message: expect.stringContaining('Parse error') },
    ]);
    expect(emulator.requests().length).toBe(before);
    expect(await api.templates.list()).toEqual([]);
  });

  it('pull keeps a local edit that was not pushed and reports the diff; --force takes the account version', async () => {
    const api = client('token');
    await api.templates.create({ name: 'News', subject: 'Old subject', category: 'c', body_text: 'body' });
    await pullTemplates({ client: api, folder });
    // Edited in the folder, not pushed; the account changes too.
    await writeFile(join(folder, 'news', 'subject.hbs'), 'My local subject\n');
    const [remote] = await api.templates.list();
    await api.templates.update(remote!.id, { subject: 'Account subject' });
    const kept = await pullTemplates({ client: api, folder });
    expect(kept.written).toEqual([]);
    expect(kept.conflicts).toEqual([
      {
        name: 'News',
        directory: 'news',
        fields: [{ field: 'subject', before: 'My local subject', after: 'Account subject' }],
      },
    ]);
    expect(await readFile(join(folder, 'news', 'subject.hbs'), 'utf8')).toBe('My local subject\n');
    const text = formatPullResult(kept, 'templates');
    expect(text).toContain(
      '! kept     "News" (news/): edited in the folder and not pushed; the account has:',
    );
    expect(text).toContain('-My local subject');
    expect(text).toContain('+Account subject');
    expect(text).toContain('pull again with --force');
    // A template only changed in the account is updated: its folder copy is as last pulled.
    await api.templates.create({ name: 'Other', subject: 'v1', category: 'c', body_text: 'x' });
    await pullTemplates({ client: api, folder, force: false });
    const other = (await api.templates.list()).find((template) => template.name === 'Other')!;
    await api.templates.update(other.id, { subject: 'v2' });
    const updated = await pullTemplates({ client: api, folder });
    expect(updated.written).toEqual([{ name: 'Other', directory: 'other', created: false }]);
    expect(await readFile(join(folder, 'other', 'subject.hbs'), 'utf8')).toBe('v2\n');
    const forced = await pullTemplates({ client: api, folder, force: true });
    expect(forced.conflicts).toEqual([]);
    expect(await readFile(join(folder, 'news', 'subject.hbs'), 'utf8')).toBe('Account subject\n');
  });

  it('pull of an account with no templates creates the folder and says so', async () => {
    const api = client('token');
    const target = join(folder, 'new', 'templates');
    const result = await pullTemplates({ client: api, folder: target });
    expect(result).toMatchObject({ written: [], remoteCount: 0 });
    expect(await readdir(target)).toEqual([]);
    expect(formatPullResult(result, 'new/templates')).toBe(
      'The account has no templates; new/templates is ready (create one with `mailtrap-templates init`, then push).\n',
    );
  });

  it('push records the pushed content, so a later pull of an unchanged template is up to date', async () => {
    const api = client('token');
    await writeTemplateDirectory(
      folder,
      'fresh',
      { name: 'Fresh', category: 'c', subject: 'S', body_text: 'b' },
      { synced: false },
    );
    expect((await readTemplatesFolder(folder))[0]!.synced).toBeUndefined();
    await pushTemplates({ client: api, folder });
    const [pushed] = await readTemplatesFolder(folder);
    expect(pushed!.synced).toBe(contentHash(pushed!));
    expect(await pullTemplates({ client: api, folder })).toMatchObject({
      written: [],
      unchanged: [{ name: 'Fresh', directory: 'fresh' }],
      conflicts: [],
    });
  });

  it('validateTemplateInput names the field', () => {
    expect(() => validateTemplateInput({ name: 'n', subject: '', category: 'c', body_text: 't' })).toThrow(
      /`subject` must be a non-empty string/,
    );
    expect(() => validateTemplateInput({ name: 'n', subject: 's', category: 'c' })).toThrow(
      /body_html` or `body_text/,
    );
    expect(() => validateTemplateInput({ subject: 's' }, true)).not.toThrow();
  });
});
