import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailtrapClient, MailtrapNotFoundError, MailtrapValidationError } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readTemplatesFolder, writeTemplateDirectory } from './folder';
import { formatPushPlan, planPush, pullTemplates, pushTemplates, validateTemplateInput } from './sync';

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
      localOnly: ['Draft'],
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
    expect((error as MailtrapValidationError).field).toBe('name');
    expect(emulator.requests().length).toBe(before);
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
