import { readFileSync } from 'node:fs';
import { validateResponse } from '@mailtrap-kit/openapi-testing';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from './index';
import type { RunningEmulator } from './types';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

async function api(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.token ?? emulator.token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json')
    ? JSON.parse(text)
    : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const CSV = Buffer.from('id,name\n1,Ann\n').toString('base64');

const message = {
  from: { email: 'app@example.com', name: 'The App' },
  to: [{ email: 'ann@example.org', name: 'Ann' }],
  cc: [{ email: 'cc@example.org' }],
  bcc: [{ email: 'hidden@example.org' }],
  subject: 'Order 42 is ready',
  text: 'Your order 42 is ready.',
  html: '<p>Your order <b>42</b> is ready.</p><img src="cid:logo">',
  headers: { 'X-Order': '42' },
  attachments: [
    { filename: 'order.csv', type: 'text/csv', content: CSV },
    { filename: 'logo.png', type: 'image/png', disposition: 'inline', content_id: 'logo', content: PNG },
  ],
};

async function sendToSandbox(body: Record<string, unknown>, sandboxId = emulator.sandboxId) {
  const response = await fetch(`${emulator.endpoints.sandbox}/api/send/${sandboxId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const [listed] = (await api(`/api/sandboxes/${sandboxId}/messages`)).json as Array<{ id: number }>;
  return listed!.id;
}

describe('projects', () => {
  it('lists the default project with its sandbox, creates, updates and deletes projects', async () => {
    const list = await api('/api/projects');
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    expect(list.json[0].sandboxes.map((sandbox: { id: number }) => sandbox.id)).toEqual([emulator.sandboxId]);

    const created = await api('/api/projects', { method: 'POST', body: { project: { name: 'Checkout' } } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ name: 'Checkout', sandboxes: [] });
    const id = created.json.id as number;

    const renamed = await api(`/api/projects/${id}`, {
      method: 'PATCH',
      body: { project: { name: 'Payments' } },
    });
    expect(renamed.json.name).toBe('Payments');
    expect((await api(`/api/accounts/${emulator.accountId}/projects/${id}`)).json.name).toBe('Payments');

    const sandbox = await api(`/api/projects/${id}/sandboxes`, {
      method: 'POST',
      body: { sandbox: { name: 'QA' } },
    });
    expect(sandbox.status).toBe(200);
    expect(sandbox.json).toMatchObject({ name: 'QA', project_id: id, emails_count: 0 });

    const deleted = await api(`/api/projects/${id}`, { method: 'DELETE' });
    expect(deleted).toMatchObject({ status: 200, json: { id } });
    expect((await api(`/api/projects/${id}`)).status).toBe(404);
    expect((await api(`/api/sandboxes/${sandbox.json.id}`)).status).toBe(404);
  });

  it('refuses a name shorter than 2 or longer than 100 characters with 422 field errors', async () => {
    const short = await api('/api/projects', { method: 'POST', body: { project: { name: 'a' } } });
    expect(short).toMatchObject({
      status: 422,
      json: { errors: { name: ['is too short (minimum is 2 characters)'] } },
    });
    const long = await api('/api/projects', { method: 'POST', body: { project: { name: 'x'.repeat(101) } } });
    expect(long.json.errors.name).toEqual(['is too long (maximum is 100 characters)']);
    expect((await api('/api/projects', { method: 'POST', body: {} })).status).toBe(422);
  });
});

describe('sandboxes', () => {
  it('has SMTP credentials and an email address that the actions reset and toggle', async () => {
    const path = `/api/sandboxes/${emulator.sandboxId}`;
    const before = (await api(path)).json;
    expect(before.username).toMatch(/^[0-9a-f]{14}$/);
    expect(before.password).toMatch(/^[0-9a-f]{14}$/);
    expect(before.email_username).toMatch(/^[0-9a-f]{10}-[0-9a-f]{6}$/);

    const reset = (await api(`${path}/reset_credentials`, { method: 'PATCH' })).json;
    expect(reset.username).not.toBe(before.username);
    expect(reset.password).not.toBe(before.password);

    expect(
      (await api(`${path}/toggle_email_username`, { method: 'PATCH' })).json.email_username_enabled,
    ).toBe(!before.email_username_enabled);
    expect(
      (await api(`${path}/toggle_email_username`, { method: 'PATCH' })).json.email_username_enabled,
    ).toBe(before.email_username_enabled);
    const renamed = (await api(`${path}/reset_email_username`, { method: 'PATCH' })).json;
    expect(renamed.email_username).not.toBe(before.email_username);
  });

  it('updates the name and email username; a taken email username is refused', async () => {
    const project = (await api('/api/projects')).json[0].id;
    const other = (
      await api(`/api/projects/${project}/sandboxes`, {
        method: 'POST',
        body: { sandbox: { name: 'Other' } },
      })
    ).json;
    const path = `/api/sandboxes/${emulator.sandboxId}`;
    const updated = await api(path, {
      method: 'PATCH',
      body: { sandbox: { name: 'Main', email_username: 'qa-team' } },
    });
    expect(updated.json).toMatchObject({ name: 'Main', email_username: 'qa-team' });
    const taken = await api(`/api/sandboxes/${other.id}`, {
      method: 'PATCH',
      body: { sandbox: { email_username: 'qa-team' } },
    });
    expect(taken).toMatchObject({
      status: 422,
      json: { errors: { email_username: ['has already been taken'] } },
    });
    expect((await api('/api/sandboxes')).json.map((sandbox: { id: number }) => sandbox.id)).toEqual([
      emulator.sandboxId,
      other.id,
    ]);
    await api(`/api/sandboxes/${other.id}`, { method: 'DELETE' });
  });

  it('counts messages, marks them all read and cleans them', async () => {
    await sendToSandbox(message);
    await sendToSandbox({ ...message, subject: 'second' });
    const path = `/api/sandboxes/${emulator.sandboxId}`;
    expect((await api(path)).json).toMatchObject({
      emails_count: 2,
      emails_unread_count: 2,
      sent_messages_count: 2,
    });
    expect((await api(`${path}/all_read`, { method: 'PATCH' })).json).toMatchObject({
      emails_unread_count: 0,
    });
    expect((await api(`${path}/clean`, { method: 'PATCH' })).json).toMatchObject({ emails_count: 0 });
    expect((await api(`${path}/messages`)).json).toEqual([]);
  });

  it('also answers under the older `inboxes` name and the account path, 403 for another account', async () => {
    expect((await api(`/api/accounts/${emulator.accountId}/inboxes/${emulator.sandboxId}`)).json.id).toBe(
      emulator.sandboxId,
    );
    const forbidden = await api(`/api/accounts/${emulator.accountId + 1}/sandboxes`);
    expect(forbidden.status).toBe(403);
    expect((await api('/api/sandboxes', { token: 'wrong' })).status).toBe(401);
  });
});

describe('sandbox messages', () => {
  it('lists the captured message with the fields of the spec', async () => {
    const id = await sendToSandbox(message);
    const [listed] = (await api(`/api/sandboxes/${emulator.sandboxId}/messages`)).json;
    const base = `/api/accounts/${emulator.accountId}/sandboxes/${emulator.sandboxId}/messages/${id}`;
    expect(listed).toMatchObject({
      id,
      sandbox_id: emulator.sandboxId,
      subject: 'Order 42 is ready',
      from_email: 'app@example.com',
      from_name: 'The App',
      to_email: 'ann@example.org',
      to_name: 'Ann',
      is_read: false,
      html_body_size: Buffer.byteLength(message.html),
      text_body_size: Buffer.byteLength(message.text),
      html_path: `${base}/body.html`,
      download_path: `${base}/body.eml`,
      blacklists_report_info: { result: 'error' },
      smtp_information: {
        ok: true,
        data: {
          mail_from_addr: 'app@example.com',
          rcpt_to_addrs: ['ann@example.org', 'cc@example.org', 'hidden@example.org'],
        },
      },
    });
    const eml = await api(`${base}/body.eml`);
    expect(listed.email_size).toBe(Buffer.byteLength(eml.text));
    expect(listed.human_size).toMatch(/^\d+(\.\d+)? (Bytes|KB)$/);
  });

  it('pages 30 at a time, newest first, by page or by last_id, and searches subject and To', async () => {
    for (let index = 1; index <= 35; index++) {
      const response = await fetch(`${emulator.endpoints.sandbox}/api/send/${emulator.sandboxId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...message, attachments: undefined, subject: `Message ${index}` }),
      });
      expect(response.status).toBe(200);
    }
    const path = `/api/sandboxes/${emulator.sandboxId}/messages`;
    const first = (await api(path)).json as Array<{ id: number; subject: string }>;
    expect(first).toHaveLength(30);
    expect(first[0]!.subject).toBe('Message 35');
    const second = (await api(`${path}?page=2`)).json as Array<{ subject: string }>;
    expect(second.map((item) => item.subject)).toEqual([5, 4, 3, 2, 1].map((n) => `Message ${n}`));
    const older = (await api(`${path}?last_id=${first[29]!.id}&page=1`)).json as Array<{ subject: string }>;
    expect(older.map((item) => item.subject)).toEqual([5, 4, 3, 2, 1].map((n) => `Message ${n}`));
    expect(((await api(`${path}?search=message%2012`)).json as unknown[]).length).toBe(1);
    expect(((await api(`${path}?search=ANN%40EXAMPLE`)).json as unknown[]).length).toBe(30);
    expect(((await api(`${path}?search=nothing-like-this`)).json as unknown[]).length).toBe(0);
  });

  it('marks a message read or unread and deletes it', async () => {
    const id = await sendToSandbox(message);
    const path = `/api/sandboxes/${emulator.sandboxId}/messages/${id}`;
    expect((await api(path, { method: 'PATCH', body: { message: { is_read: 'true' } } })).json.is_read).toBe(
      true,
    );
    expect((await api(path, { method: 'PATCH', body: { message: { is_read: false } } })).json.is_read).toBe(
      false,
    );
    const invalid = await api(path, { method: 'PATCH', body: { message: { is_read: 'maybe' } } });
    expect(invalid).toMatchObject({ status: 422, json: { errors: { is_read: ['is invalid'] } } });
    expect((await api(path, { method: 'DELETE' })).json.id).toBe(id);
    expect(await api(path)).toMatchObject({ status: 404, json: { error: 'Not Found' } });
    expect((await api(`/api/sandboxes/${emulator.sandboxId}/messages/999999`)).status).toBe(404);
  });

  it('serves the bodies: text, HTML with inline images linked, HTML source as sent', async () => {
    const id = await sendToSandbox(message);
    const path = `/api/sandboxes/${emulator.sandboxId}/messages/${id}`;
    const text = await api(`${path}/body.txt`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toBe(message.text);

    const source = await api(`${path}/body.htmlsource`);
    expect(source.text).toBe(message.html);
    const html = await api(`${path}/body.html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toMatch(/^sandbox /);
    const attachments = (await api(`${path}/attachments`)).json as Array<{
      filename: string;
      download_path: string;
    }>;
    const logo = attachments.find((attachment) => attachment.filename === 'logo.png')!;
    expect(html.text).toContain(`src="${emulator.url}${logo.download_path}"`);
    expect(html.text).not.toContain('cid:');
  });

  it('answers 409 Conflict for a body the message does not have', async () => {
    const id = await sendToSandbox({ ...message, html: undefined, attachments: undefined });
    const html = await api(`/api/sandboxes/${emulator.sandboxId}/messages/${id}/body.html`);
    expect(html).toMatchObject({ status: 409, text: 'Conflict' });
    expect((await api(`/api/sandboxes/${emulator.sandboxId}/messages/${id}/body.htmlsource`)).status).toBe(
      409,
    );
  });

  it('serves a .eml that mailparser reads back as the message sent', async () => {
    const id = await sendToSandbox(message);
    const response = await fetch(
      `${emulator.url}/api/sandboxes/${emulator.sandboxId}/messages/${id}/body.eml`,
      { headers: { authorization: `Bearer ${emulator.token}` } },
    );
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="message-\d+\.eml"$/);
    const parsed = await simpleParser(Buffer.from(await response.arrayBuffer()));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ address: 'app@example.com', name: 'The App' }]);
    expect((parsed.to as { value: unknown }).value).toEqual([{ address: 'ann@example.org', name: 'Ann' }]);
    expect((parsed.cc as { text: string }).text).toBe('cc@example.org');
    expect((parsed.bcc as { text: string }).text).toBe('hidden@example.org');
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('<p>Your order <b>42</b> is ready.</p>');
    expect(parsed.headers.get('x-order')).toBe('42');
    const contents = new Map(
      parsed.attachments.map((attachment) => [attachment.filename, attachment.content]),
    );
    expect(contents.get('order.csv')?.toString('base64')).toBe(CSV);
    expect(contents.get('logo.png')?.toString('base64')).toBe(PNG);

    const raw = await api(`/api/sandboxes/${emulator.sandboxId}/messages/${id}/body.raw`);
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(raw.text).toBe(
      Buffer.from(
        await (
          await fetch(response.url, { headers: { authorization: `Bearer ${emulator.token}` } })
        ).arrayBuffer(),
      ).toString(),
    );
  });

  it('lists the mail headers of the MIME message', async () => {
    const id = await sendToSandbox(message);
    const { json } = await api(`/api/sandboxes/${emulator.sandboxId}/messages/${id}/mail_headers`);
    expect(json.headers).toMatchObject({
      from: 'The App <app@example.com>',
      to: 'Ann <ann@example.org>',
      cc: 'cc@example.org',
      bcc: 'hidden@example.org',
      subject: 'Order 42 is ready',
      'x-order': '42',
      'mime-version': '1.0',
    });
  });

  it('lists attachments (also by type), shows one and downloads its bytes', async () => {
    const id = await sendToSandbox(message);
    const path = `/api/sandboxes/${emulator.sandboxId}/messages/${id}/attachments`;
    const list = (await api(path)).json as Array<Record<string, unknown>>;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      message_id: id,
      filename: 'order.csv',
      attachment_type: 'attachment',
      content_type: 'text/csv',
      content_id: null,
      attachment_size: Buffer.from(CSV, 'base64').length,
      attachment_human_size: '14 Bytes',
    });
    const inline = (await api(`${path}?attachment_type=inline`)).json as Array<{ filename: string }>;
    expect(inline.map((attachment) => attachment.filename)).toEqual(['logo.png']);
    const one = await api(`${path}/${list[1]!.id}`);
    expect(one.json).toMatchObject({ filename: 'logo.png', content_id: 'logo' });
    const download = await fetch(`${emulator.url}${list[0]!.download_path as string}`, {
      headers: { authorization: `Bearer ${emulator.token}` },
    });
    expect(download.headers.get('content-disposition')).toMatch(/filename="order\.csv"/);
    expect(Buffer.from(await download.arrayBuffer()).toString('base64')).toBe(CSV);
    expect((await api(`${path}/999999`)).status).toBe(404);
  });

  it('analyzes the HTML against caniemail data', async () => {
    const html = readFileSync(new URL('./fixtures/unsupported-features.html', import.meta.url), 'utf8');
    const id = await sendToSandbox({ ...message, html, attachments: undefined });
    const { status, json } = await api(`/api/sandboxes/${emulator.sandboxId}/messages/${id}/analyze`);
    expect(status).toBe(200);
    expect(json.report.status).toBe('success');
    const flex = json.report.errors.find(
      (error: { rule_name: string }) => error.rule_name === 'display:flex',
    );
    expect(flex).toMatchObject({ error_line: 9 });
    expect(flex.email_clients.desktop).toContain('Outlook Windows');
  });

  it('answers 501 for the spam report, saying it is not available in the emulator', async () => {
    const id = await sendToSandbox(message);
    const { status, json } = await api(`/api/sandboxes/${emulator.sandboxId}/messages/${id}/spam_report`);
    expect(status).toBe(501);
    expect(json.error).toMatch(/not available in the emulator/);
  });

  it('forwards: records the forward, and delivers a copy to a sandbox of the account by its address', async () => {
    const id = await sendToSandbox(message);
    const path = `/api/sandboxes/${emulator.sandboxId}/messages/${id}/forward`;
    const done = await api(path, { method: 'POST', body: { email: 'qa@example.com' } });
    expect(done).toMatchObject({
      status: 200,
      json: { message: 'Your email message has been successfully forwarded' },
    });
    expect((await api(path, { method: 'POST', body: { email: 'not an address' } })).status).toBe(422);

    const project = (await api('/api/projects')).json[0].id;
    const target = (
      await api(`/api/projects/${project}/sandboxes`, {
        method: 'POST',
        body: { sandbox: { name: 'Copies' } },
      })
    ).json;
    const enabled = (await api(`/api/sandboxes/${target.id}/toggle_email_username`, { method: 'PATCH' }))
      .json;
    const address = `${enabled.email_username}@${enabled.email_domain}`;
    expect((await api(path, { method: 'POST', body: { email: address } })).status).toBe(200);
    const copies = (await api(`/api/sandboxes/${target.id}/messages`)).json as Array<{ subject: string }>;
    expect(copies.map((copy) => copy.subject)).toEqual(['Order 42 is ready']);
    expect((await api(`/api/sandboxes/${emulator.sandboxId}`)).json.forwarded_messages_count).toBe(2);
    expect(emulator.sandboxForwards()).toMatchObject([
      { sandboxId: emulator.sandboxId, messageId: id, email: 'qa@example.com' },
      { sandboxId: emulator.sandboxId, messageId: id, email: address, deliveredToSandboxId: target.id },
    ]);
    const listed = await fetch(`${emulator.url}/_emulator/sandbox-forwards`);
    expect(((await listed.json()) as unknown[]).length).toBe(2);
    await api(`/api/sandboxes/${target.id}`, { method: 'DELETE' });
  });
});

describe('sandbox ids on the sending host', () => {
  it('accepts only the configured sandboxes, and the sandboxes created through the API', async () => {
    const fixed = await startEmulator({ sandboxIds: [7] });
    try {
      const send = (id: number) =>
        fetch(`${fixed.endpoints.sandbox}/api/send/${id}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fixed.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...message, attachments: undefined }),
        });
      expect((await send(7)).status).toBe(200);
      expect((await send(8)).status).toBe(404);
      const headers = { authorization: `Bearer ${fixed.token}`, 'content-type': 'application/json' };
      const projects = (await (await fetch(`${fixed.url}/api/projects`, { headers })).json()) as Array<{
        id: number;
      }>;
      const created = (await (
        await fetch(`${fixed.url}/api/projects/${projects[0]!.id}/sandboxes`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ sandbox: { name: 'New' } }),
        })
      ).json()) as { id: number };
      expect(created.id).toBe(8);
      expect((await send(8)).status).toBe(200);
    } finally {
      await fixed.close();
    }
  });

  it('without sandboxIds, a message to a new id creates that sandbox; a deleted one stays gone', async () => {
    const id = await sendToSandbox({ ...message, attachments: undefined }, 42);
    expect(id).toBeGreaterThan(0);
    expect((await api('/api/sandboxes/42')).json.name).toBe('Sandbox 42');
    await api('/api/sandboxes/42', { method: 'DELETE' });
    const again = await fetch(`${emulator.endpoints.sandbox}/api/send/42`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...message, attachments: undefined }),
    });
    expect(again.status).toBe(404);
  });
});

describe("the spec's response schemas", () => {
  it('every answer of the sandbox testing API matches the schema of its operation and status', async () => {
    const id = await sendToSandbox(message);
    const sandbox = `/api/sandboxes/${emulator.sandboxId}`;
    const path = `${sandbox}/messages/${id}`;
    const project = (await api('/api/projects', { method: 'POST', body: { project: { name: 'Schema' } } }))
      .json;
    const created = await api(`/api/projects/${project.id}/sandboxes`, {
      method: 'POST',
      body: { sandbox: { name: 'Schema sandbox' } },
    });
    const attachments = (await api(`${path}/attachments`)).json as Array<{ id: number }>;
    const checks: Array<[string, { status: number; json?: unknown; text: string }]> = [
      ['getProjects', await api('/api/projects')],
      ['getProject', await api(`/api/projects/${project.id}`)],
      [
        'updateProject',
        await api(`/api/projects/${project.id}`, {
          method: 'PATCH',
          body: { project: { name: 'Schema 2' } },
        }),
      ],
      ['createSandbox', created],
      ['getSandboxes', await api('/api/sandboxes')],
      ['getSandboxAttributes', await api(sandbox)],
      ['updateSandbox', await api(sandbox, { method: 'PATCH', body: { sandbox: { name: 'Renamed' } } })],
      ['markAsReadSandbox', await api(`${sandbox}/all_read`, { method: 'PATCH' })],
      ['resetSandboxCredentials', await api(`${sandbox}/reset_credentials`, { method: 'PATCH' })],
      ['enableSandboxEmailAddresses', await api(`${sandbox}/toggle_email_username`, { method: 'PATCH' })],
      ['resetEmailUserNamePerSandbox', await api(`${sandbox}/reset_email_username`, { method: 'PATCH' })],
      ['getSandboxEmailMessage', await api(`${sandbox}/messages`)],
      ['showSandboxEmailMessage', await api(path)],
      [
        'updateSandboxEmailMessage',
        await api(path, { method: 'PATCH', body: { message: { is_read: 'true' } } }),
      ],
      ['getMailHeadersOfEmailMessage', await api(`${path}/mail_headers`)],
      ['getSandboxEmailMessageHTMLAnalysis', await api(`${path}/analyze`)],
      [
        'forwardSandboxEmailMessage',
        await api(`${path}/forward`, { method: 'POST', body: { email: 'qa@example.com' } }),
      ],
      ['getSandboxMessageAttachments', await api(`${path}/attachments`)],
      ['getSandboxMessageAttachment', await api(`${path}/attachments/${attachments[0]!.id}`)],
      ['getSandboxEmailMessageBodyAsTxt', await api(`${path}/body.txt`)],
      ['getSandboxEmailMessageBodyAsHtml', await api(`${path}/body.html`)],
      ['getSandboxEmailMessageBodyAsHtmlSource', await api(`${path}/body.htmlsource`)],
      ['getSandboxEmailMessageBodyAsRaw', await api(`${path}/body.raw`)],
      ['getSandboxEmailMessageBodyAsEml', await api(`${path}/body.eml`)],
      ['getSandboxAttributes', await api('/api/sandboxes/999999')],
      ['showSandboxEmailMessage', await api(`${sandbox}/messages/999999`)],
      ['getProjects', await api('/api/projects', { token: 'wrong' })],
      ['deleteSandboxEmailMessage', await api(path, { method: 'DELETE' })],
      ['cleanSandbox', await api(`${sandbox}/clean`, { method: 'PATCH' })],
      ['deleteSandbox', await api(`/api/sandboxes/${created.json.id}`, { method: 'DELETE' })],
      ['deleteProject', await api(`/api/projects/${project.id}`, { method: 'DELETE' })],
    ];
    const problems = checks.flatMap(([operation, answer]) =>
      validateResponse(operation, answer.status, answer.json ?? answer.text).map(
        (problem) => `${operation} ${answer.status}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
