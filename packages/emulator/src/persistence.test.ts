/**
 * An emulator started again on the storage of an earlier one (the memory storage, so a restart
 * fits in one process; the real restart of the command on a data dir is in data-dir.test.ts) has
 * its account and what it received, within the retention bounds of the new start.
 */
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from './http.test-support';
import { createMemoryStorage, emptyMemoryStorageData, type MemoryStorageData, startEmulator } from './index';
import type { EmulatorOptions, RunningEmulator } from './types';

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(data: MemoryStorageData, options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ ...options, storage: createMemoryStorage(data) });
  running.push(emulator);
  return emulator;
}

async function restart(emulator: RunningEmulator, data: MemoryStorageData, options: EmulatorOptions = {}) {
  await emulator.close();
  return start(data, options);
}

const mail = (to: string, subject = 'Hello', from = 'app@example.com') => ({
  from: { email: from },
  to: [{ email: to }],
  subject,
  text: 'Hi',
  custom_variables: { order: subject },
});

async function send(emulator: RunningEmulator, token: string, body: unknown, path = '/api/send') {
  const answer = await http(`${emulator.endpoints.send}${path}`, { token, body });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { message_ids: string[] };
}

describe('an emulator restarted on the same storage', () => {
  it('has its account back: domains with their tokens, the same default token, API tokens, webhooks, templates, contacts, suppressions', async () => {
    const data = emptyMemoryStorageData();
    const first = await start(data);
    const admin = first.token;
    const api = (path: string) => `${first.url}/api/accounts/${first.accountId}${path}`;
    const domain = await http(api('/domains'), {
      token: admin,
      body: { domain: { domain_name: 'acme-mail.test' } },
    });
    expect(domain.status).toBe(200);
    first.domains.verify('acme-mail.test');
    const domainToken = first.domains.get('acme-mail.test')!.token;
    const created = await http(api('/api_tokens'), {
      token: admin,
      body: { name: 'CI', resources: [{ resource_type: 'account', resource_id: 1, access_level: 100 }] },
    });
    const ciToken = created.body.token as string;
    const webhook = await http(api('/webhooks'), {
      token: admin,
      body: {
        webhook: {
          url: 'http://127.0.0.1:9/hook',
          webhook_type: 'email_sending',
          sending_stream: 'transactional',
          event_types: ['delivery', 'bounce'],
        },
      },
    });
    expect(webhook.status, webhook.text).toBeLessThan(300);
    const template = await http(api('/email_templates'), {
      token: admin,
      body: {
        email_template: { name: 'Welcome', subject: 'Hi {{name}}', category: 'welcome', body_text: 'Hi' },
      },
    });
    expect(template.status).toBe(201);
    const contact = await http(api('/contacts'), {
      token: admin,
      body: { contact: { email: 'jane@example.org' } },
    });
    expect(contact.status).toBe(201);
    const suppression = await send(
      first,
      domainToken,
      mail('bounced@simulator.mailtrap-kit.test', 'x', 'a@acme-mail.test'),
    );

    const second = await restart(first, data);
    expect(second.token).toBe(admin);
    expect(second.domains.get('acme-mail.test')).toMatchObject({ dns_verified: true, token: domainToken });
    const again = (path: string) => `${second.url}/api/accounts/${second.accountId}${path}`;
    // every token works as before: the default one, the domain's own, the one made through the API
    await send(second, domainToken, mail('someone@example.org', 'after', 'a@acme-mail.test'));
    expect((await http(again('/api_tokens'), { token: ciToken })).status).toBe(200);
    const hooks = await http(again('/webhooks'), { token: admin });
    expect(hooks.body.data).toEqual([
      expect.objectContaining({ id: webhook.body.data.id, url: 'http://127.0.0.1:9/hook' }),
    ]);
    const templates = await http(again('/email_templates'), { token: admin });
    expect(templates.body).toEqual([
      expect.objectContaining({ id: template.body.id, uuid: template.body.uuid }),
    ]);
    const contacts = await http(again(`/contacts/${encodeURIComponent('jane@example.org')}`), {
      token: admin,
    });
    expect(contacts.body.data).toMatchObject({ id: contact.body.data.id, email: 'jane@example.org' });
    const suppressions = await http(again('/suppressions'), { token: admin });
    expect(suppressions.body).toEqual([
      expect.objectContaining({ email: 'bounced@simulator.mailtrap-kit.test', type: 'hard bounce' }),
    ]);
    // and the bounce that made the suppression is still in Email Logs with its event
    const entry = await http(again(`/email_logs/${suppression.message_ids[0]}`), { token: admin });
    expect(entry.body.status).toBe('not_delivered');
    expect(entry.body.events).toEqual([expect.objectContaining({ event_type: 'bounce' })]);
    // a new domain gets the next id, not one reused
    const next = await http(again('/domains'), {
      token: admin,
      body: { domain: { domain_name: 'next.test' } },
    });
    expect(next.body.id).toBe(domain.body.id + 1);
  });

  it('has the messages, Email Logs (with events), stats and sandbox messages it received', async () => {
    const data = emptyMemoryStorageData();
    const first = await start(data);
    const sent = await send(first, first.token, {
      ...mail('one@example.org', 'first'),
      cc: [{ email: 'two@example.org' }],
    });
    await send(first, first.token, mail('three@example.org', 'second'));
    first.addEvent(sent.message_ids[0]!, { type: 'open' });
    const sandboxed = await http(`${first.endpoints.sandbox}/api/send/${first.sandboxId}`, {
      token: first.token,
      body: mail('tester@example.org', 'to the sandbox'),
    });
    expect(sandboxed.status).toBe(200);
    const api = (emulator: RunningEmulator, path: string) => `${emulator.url}/api/accounts/1${path}`;
    const [captured] = (
      await http(api(first, `/inboxes/${first.sandboxId}/messages`), { token: first.token })
    ).body;
    await http(api(first, `/inboxes/${first.sandboxId}/messages/${captured.id}`), {
      method: 'PATCH',
      token: first.token,
      body: { message: { is_read: true } },
    });
    const before = { messages: first.messages(), logs: first.logs(), stats: first.stats() };

    const second = await restart(first, data);
    expect(second.messages()).toEqual(before.messages);
    expect(second.logs()).toEqual(before.logs);
    expect(second.logs().find((entry) => entry.message_id === sent.message_ids[0])?.opens_count).toBe(1);
    expect(second.stats()).toMatchObject({ messages: 3, recipients: 4 });
    // the custom variable index is rebuilt: Email Logs filter by it
    const filtered = await http(api(second, '/email_logs?filters[custom_variables][order][value]=second'), {
      token: second.token,
    });
    expect(
      filtered.body.messages?.map((entry: { subject: string }) => entry.subject) ?? filtered.text,
    ).toEqual(['second']);
    const [again] = (
      await http(api(second, `/inboxes/${second.sandboxId}/messages`), { token: second.token })
    ).body;
    expect(again).toMatchObject({ id: captured.id, subject: 'to the sandbox', is_read: true });
    // new messages continue after the restored ones
    await send(second, second.token, mail('four@example.org', 'third'));
    expect(second.messages().map((message) => message.subject)).toEqual([
      'first',
      'second',
      'to the sandbox',
      'third',
    ]);
  });

  it('has every message of a batch request, written as one change set', async () => {
    const data = emptyMemoryStorageData();
    const storage = createMemoryStorage(data);
    let writes = 0;
    const write = storage.write.bind(storage);
    storage.write = (changes) => {
      writes++;
      write(changes);
    };
    const first = await startEmulator({ storage });
    running.push(first);
    const before = writes;
    const batch = await http(`${first.endpoints.send}/api/batch`, {
      token: first.token,
      body: {
        base: { from: { email: 'app@example.com' }, text: 'Hi' },
        requests: [1, 2, 3].map((n) => ({ to: [{ email: `r${n}@example.org` }], subject: `b${n}` })),
      },
    });
    expect(batch.status, batch.text).toBe(200);
    expect(writes - before).toBe(1);
    const second = await restart(first, data);
    expect(second.messages().map((message) => message.subject)).toEqual(['b1', 'b2', 'b3']);
    expect(second.logs()).toHaveLength(3);
  });

  it('applies the retention bounds of the new start to what it restores, and forgets what they dropped', async () => {
    const data = emptyMemoryStorageData();
    const first = await start(data, { retainBodies: 5, retainLogs: 8 });
    const sent: string[] = [];
    for (let index = 1; index <= 6; index++) {
      const answer = await send(first, first.token, {
        ...mail(`a${index}@example.org`, `m${index}`),
        cc: [{ email: `b${index}@example.org` }],
      });
      sent.push(answer.message_ids[0]!);
    }
    expect(first.messages().map((message) => message.subject)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    expect(first.logs()).toHaveLength(8);

    const narrow = await restart(first, data, { retainBodies: 2, retainLogs: 3 });
    expect(narrow.messages().map((message) => message.subject)).toEqual(['m5', 'm6']);
    expect(narrow.logs().map((entry) => entry.to)).toEqual([
      'b5@example.org',
      'a6@example.org',
      'b6@example.org',
    ]);
    // wider bounds later do not bring back what was dropped: the storage dropped it too
    const wide = await restart(narrow, data);
    expect(wide.messages().map((message) => message.subject)).toEqual(['m5', 'm6']);
    expect(wide.logs()).toHaveLength(3);
    // what the bounds dropped, before the first restart (m1) or at it (m4), answers as dropped by retention
    for (const id of [sent[0]!, sent[3]!]) {
      const why = await http(`${wide.url}/_emulator/messages/${id}`);
      expect(why.status).toBe(404);
      expect(why.body.reason).toBe('retention');
    }
    expect(data.messages.size).toBe(2);
    expect(data.logs.size).toBe(3);
  });

  it('keeps a reset: messages and logs gone after the restart, the account still there', async () => {
    const data = emptyMemoryStorageData();
    const first = await start(data);
    await send(first, first.token, mail('one@example.org'));
    first.domains.create('kept.test', { verified: true });
    first.reset();
    const second = await restart(first, data);
    expect(second.messages()).toEqual([]);
    expect(second.logs()).toEqual([]);
    expect(second.domains.get('kept.test')?.dns_verified).toBe(true);
  });

  it('adds the tokens and domains the options name that the restored account lacks', async () => {
    const data = emptyMemoryStorageData();
    const first = await start(data, { tokens: [{ token: 'first-token' }] });
    const second = await restart(first, data, {
      tokens: [{ token: 'second-token' }],
      verifiedDomains: ['example.com', 'added.test'],
    });
    expect(second.token).toBe('second-token');
    await send(second, 'second-token', mail('x@example.org', 'from added', 'me@added.test'));
    // the earlier configured token is part of the restored account
    await send(second, 'first-token', mail('y@example.org'));
  });

  it('has a message received over SMTP with its received bytes, and not the messages deleted in the inbox', async () => {
    const data = emptyMemoryStorageData();
    const first = await start(data, { smtpPort: 0, smtpBulkPort: 0 });
    const transport = nodemailer.createTransport({
      host: first.smtp!.host,
      port: first.smtp!.port,
      secure: false,
      auth: { user: 'api', pass: first.token },
    });
    await transport.sendMail({
      from: 'app@example.com',
      to: 'smtp@example.org',
      subject: 'over SMTP',
      text: 'Hi',
    });
    transport.close();
    await send(first, first.token, mail('deleted@example.org', 'deleted one'));
    await send(first, first.token, mail('kept@example.org', 'kept one'));
    const deleted = first.messages().find((message) => message.subject === 'deleted one')!;
    expect((await http(`${first.url}/_emulator/messages/${deleted.id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const smtpRaw = await http(`${first.url}/_emulator/messages/${first.messages()[0]!.id}/eml`);
    expect(smtpRaw.text).toContain('Subject: over SMTP');

    const second = await restart(first, data, { smtpPort: 0, smtpBulkPort: 0 });
    expect(second.messages().map((message) => message.subject)).toEqual(['over SMTP', 'kept one']);
    // and why the deleted one is gone
    const why = await http(`${second.url}/_emulator/messages/${deleted.id}`);
    expect(why.status).toBe(404);
    expect(why.body.reason).toBe('deleted');
    expect((await http(`${second.url}/_emulator/messages/never-sent`)).body.reason).toBe('unknown');
    expect((await http(`${second.url}/_emulator/messages/${second.messages()[0]!.id}/eml`)).text).toBe(
      smtpRaw.text,
    );
    // clear all in the inbox is kept too
    expect((await http(`${second.url}/_emulator/messages`, { method: 'DELETE' })).status).toBe(200);
    const third = await restart(second, data);
    expect(third.messages()).toEqual([]);
    // Email Logs stay, as they do without a restart
    expect(third.logs().map((entry) => entry.subject)).toEqual(['over SMTP', 'deleted one', 'kept one']);
  });
});
