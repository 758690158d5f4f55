import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailtrapClient, MailtrapError, MailtrapNotFoundError, MailtrapValidationError } from '../index';

// The sandbox namespaces against the emulator's sandbox testing API: messages sent on the sandbox
// stream are read back through projects, sandboxes, sandboxMessages and sandboxAttachments. The
// emulator is loaded by name at run time (core keeps no dependency on it).
interface Emulator {
  endpoints: { send: string; bulk: string; sandbox: string; general: string };
  token: string;
  accountId: number;
  sandboxId: number;
  sandboxForwards(): Array<{ sandboxId: number; messageId: number; email: string }>;
  reset(): void;
  close(): Promise<void>;
}

const emulatorPackage = '@mailtrap-kit/emulator';
const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
let emulator: Emulator;
let api: MailtrapClient;
let sender: MailtrapClient;

beforeAll(async () => {
  const { startEmulator } = (await import(/* @vite-ignore */ emulatorPackage)) as {
    startEmulator(): Promise<Emulator>;
  };
  emulator = await startEmulator();
  api = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    accountId: emulator.accountId,
  });
  sender = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    stream: 'sandbox',
    sandboxId: emulator.sandboxId,
  });
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  await Promise.all([api?.close(), sender?.close()]);
  await emulator?.close();
});

async function sendOne(subject: string): Promise<number> {
  await sender.send({
    from: { email: 'app@example.com', name: 'The App' },
    to: [{ email: 'ann@example.org', name: 'Ann' }],
    subject,
    text: `Text of ${subject}`,
    html: `<p>HTML of <b>${subject}</b></p><img src="cid:logo">`,
    attachments: [
      { filename: 'notes.txt', type: 'text/plain', content: Buffer.from('some notes').toString('base64') },
      { filename: 'logo.png', type: 'image/png', disposition: 'inline', content_id: 'logo', content: png },
    ],
  });
  const [message] = await api.sandboxMessages.list(emulator.sandboxId, { search: subject });
  expect(message?.subject).toBe(subject);
  return message!.id!;
}

describe('the sandbox testing API against the emulator', () => {
  it('keeps projects and sandboxes: create, list, get, update, the sandbox actions, delete', async () => {
    const project = await api.projects.create({ name: 'QA project' });
    expect((await api.projects.list()).map((item) => item.id)).toContain(project.id);
    expect(await api.projects.update(project.id!, { name: 'QA' })).toMatchObject({ name: 'QA' });

    const sandbox = await api.sandboxes.create(project.id!, { name: 'Staging' });
    expect(sandbox).toMatchObject({ name: 'Staging', project_id: project.id });
    expect((await api.projects.get(project.id!)).sandboxes?.map((item) => item?.id)).toContain(sandbox.id);
    expect((await api.sandboxes.list()).map((item) => item.id)).toContain(sandbox.id);
    expect(await api.sandboxes.update(sandbox.id!, { email_username: 'qa-staging' })).toMatchObject({
      email_username: 'qa-staging',
    });
    const before = await api.sandboxes.get(sandbox.id!);
    const reset = await api.sandboxes.resetCredentials(sandbox.id!);
    expect(reset.password).not.toBe(before.password);
    const toggled = await api.sandboxes.toggleEmailUsername(sandbox.id!);
    expect(toggled.email_username_enabled).toBe(!before.email_username_enabled);
    expect((await api.sandboxes.resetEmailUsername(sandbox.id!)).email_username).not.toBe('qa-staging');

    await api.sandboxes.delete(sandbox.id!);
    await expect(api.sandboxes.get(sandbox.id!)).rejects.toBeInstanceOf(MailtrapNotFoundError);
    expect(await api.projects.delete(project.id!)).toEqual({ id: project.id });
    await expect(api.projects.get(project.id!)).rejects.toBeInstanceOf(MailtrapNotFoundError);
  });

  it('refuses a project name the API refuses, before sending', async () => {
    await expect(api.projects.create({ name: 'Q' })).rejects.toBeInstanceOf(MailtrapValidationError);
  });

  it('reads a sent message: attributes, text, HTML, HTML source, raw and .eml bodies, headers', async () => {
    const id = await sendOne('Order 42');
    const sandboxId = emulator.sandboxId;
    expect(await api.sandboxMessages.get(sandboxId, id)).toMatchObject({
      id,
      subject: 'Order 42',
      to_email: 'ann@example.org',
    });
    expect(await api.sandboxMessages.text(sandboxId, id)).toBe('Text of Order 42');
    expect(await api.sandboxMessages.htmlSource(sandboxId, id)).toBe(
      '<p>HTML of <b>Order 42</b></p><img src="cid:logo">',
    );
    expect(await api.sandboxMessages.html(sandboxId, id)).toContain('HTML of <b>Order 42</b>');

    const raw = await api.sandboxMessages.raw(sandboxId, id);
    expect(raw).toMatch(/^Subject: Order 42\r?$/m);
    const eml = await api.sandboxMessages.eml(sandboxId, id);
    expect(eml).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(eml).toString('utf8')).toBe(raw);

    const { headers } = await api.sandboxMessages.headers(sandboxId, id);
    expect(headers).toMatchObject({ subject: 'Order 42' });
    expect((await api.sandboxMessages.htmlAnalysis(sandboxId, id)).report).toBeDefined();
  });

  it('lists and reads attachments, by type too', async () => {
    const id = await sendOne('With attachments');
    const all = await api.sandboxAttachments.list(emulator.sandboxId, id);
    expect(all.map((attachment) => attachment.filename).sort()).toEqual(['logo.png', 'notes.txt']);
    const inline = await api.sandboxAttachments.list(emulator.sandboxId, id, { attachment_type: 'inline' });
    expect(inline.map((attachment) => attachment.filename)).toEqual(['logo.png']);
    const notes = all.find((attachment) => attachment.filename === 'notes.txt')!;
    expect(await api.sandboxAttachments.get(emulator.sandboxId, id, notes.id!)).toMatchObject({
      filename: 'notes.txt',
      content_type: 'text/plain',
    });
  });

  it('pages with last_id, marks read, forwards, deletes, cleans', async () => {
    const first = await sendOne('First');
    const second = await sendOne('Second');
    const older = await api.sandboxMessages.list(emulator.sandboxId, { last_id: second });
    expect(older.map((message) => message.id)).toEqual([first]);

    expect((await api.sandboxMessages.update(emulator.sandboxId, first, { is_read: true })).is_read).toBe(
      true,
    );
    expect((await api.sandboxMessages.get(emulator.sandboxId, first)).is_read).toBe(true);
    await api.sandboxes.markAllRead(emulator.sandboxId);
    expect((await api.sandboxMessages.get(emulator.sandboxId, second)).is_read).toBe(true);

    expect(
      (await api.sandboxMessages.forward(emulator.sandboxId, first, { email: 'qa@example.org' })).message,
    ).toBeTruthy();
    expect(emulator.sandboxForwards()).toMatchObject([{ messageId: first, email: 'qa@example.org' }]);

    await api.sandboxMessages.delete(emulator.sandboxId, first);
    await expect(api.sandboxMessages.get(emulator.sandboxId, first)).rejects.toBeInstanceOf(
      MailtrapNotFoundError,
    );
    await api.sandboxes.clean(emulator.sandboxId);
    expect(await api.sandboxMessages.list(emulator.sandboxId)).toEqual([]);
  });

  it('answers 409 for a body part the message does not have', async () => {
    await sender.send({
      from: { email: 'app@example.com' },
      to: [{ email: 'ann@example.org' }],
      subject: 'Text only',
      text: 'Only text',
    });
    const [message] = await api.sandboxMessages.list(emulator.sandboxId);
    const error = await api.sandboxMessages.html(emulator.sandboxId, message!.id!).catch((caught) => caught);
    expect(MailtrapError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).status).toBe(409);
  });
});
