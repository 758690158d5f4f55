import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo, connect } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer, { type Mail, type SentMessageInfo, type TransportConfig } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http } from '../http.test-support';
import { type RunningEmulator, startEmulator } from '../index';

const token = 'smtp-admin-token';
const bulkOnly = 'smtp-bulk-only-token';
let emulator: RunningEmulator;
let receiver: Server;
let receiverUrl: string;
const received: string[] = [];
const transports: Mail[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  emulator = await startEmulator({
    smtpPort: 0,
    tokens: [{ token }, { token: bulkOnly, streams: ['bulk'] }],
    domains: [{ name: 'example.com' }, { name: 'unverified.example', verified: false }],
    maxMessageBytes: 200_000,
    webhookDelivery: { batchWindowMs: 10, retryDelayMs: 20 },
  });
});
beforeEach(() => {
  emulator.reset();
  received.length = 0;
});
afterAll(async () => {
  for (const transport of transports) transport.close();
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

/** A Nodemailer SMTP transport to the emulator (plain: STARTTLS is not offered on loopback). */
function transport(options: Record<string, unknown> = {}): Mail<SentMessageInfo> {
  const smtp = emulator.smtp!;
  const made: Mail<SentMessageInfo> = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    auth: { user: 'api', pass: token },
    ...options,
  } as TransportConfig);
  transports.push(made);
  return made;
}

/** An address of this machine that is not loopback (undefined when it has none). */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

/** The EHLO answer of a listener, read over a raw socket. */
async function ehlo(port: number, host = '127.0.0.1'): Promise<string> {
  const socket = connect(port, host);
  let text = '';
  try {
    for await (const chunk of socket) {
      text += (chunk as Buffer).toString('utf8');
      if (/^220 /m.test(text) && !text.includes('EHLO sent')) {
        socket.write('EHLO client.test\r\n');
        text += 'EHLO sent\n';
      } else if (/^250 /m.test(text)) break;
    }
  } finally {
    socket.destroy();
  }
  return text;
}

const mail = {
  from: 'Sender <sender@example.com>',
  to: 'Reader <reader@example.org>',
  subject: 'Over SMTP',
  text: 'Plain body',
  html: '<p>HTML body</p>',
};

describe('SMTP listener', () => {
  it('reports where it listens; the sandboxes name its port', async () => {
    expect(emulator.smtp).toMatchObject({ host: '127.0.0.1', user: 'api' });
    expect(emulator.smtp!.port).toBeGreaterThan(0);
    expect(emulator.smtp!.bulkPort).toBeGreaterThan(0);
    expect(emulator.smtp!.bulkPort).not.toBe(emulator.smtp!.port);
    const sandboxes = await http(`${emulator.url}/api/accounts/${emulator.accountId}/sandboxes`, { token });
    expect(sandboxes.body[0].smtp_ports).toEqual([emulator.smtp!.port]);
  });

  it('is off unless smtpPort is given', async () => {
    const plain = await startEmulator();
    try {
      expect(plain.smtp).toBeUndefined();
      const sandboxes = await http(`${plain.url}/api/accounts/${plain.accountId}/sandboxes`, {
        token: plain.token,
      });
      expect(sandboxes.body[0].smtp_ports).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('takes a plain session on loopback with AUTH PLAIN and keeps the received bytes as the source', async () => {
    const info = await transport({ authMethod: 'PLAIN' }).sendMail(mail);
    expect(info.accepted).toEqual(['reader@example.org']);
    const [stored] = emulator.messages();
    expect(stored).toMatchObject({
      stream: 'transactional',
      from: { email: 'sender@example.com', name: 'Sender' },
      to: [{ email: 'reader@example.org', name: 'Reader' }],
      subject: 'Over SMTP',
      text: 'Plain body',
      html: '<p>HTML body</p>',
      smtp: { mailFrom: 'sender@example.com', rcptTo: ['reader@example.org'], clientIp: '127.0.0.1' },
    });
    expect(info.response).toBe(`250 2.0.0 Ok: queued as ${stored!.id}`);
    expect(stored!.headers['Message-ID']).toBe(info.messageId);
    // the .eml is what the client sent, byte for byte: its Message-ID, not a rebuilt one
    const eml = await fetch(`${emulator.url}/_emulator/messages/${stored!.id}/eml`);
    const source = Buffer.from(await eml.arrayBuffer());
    expect(source.equals(stored!.source!)).toBe(true);
    expect((await simpleParser(source)).messageId).toBe(info.messageId);
  });

  it("sends with Nodemailer's defaults (no TLS option): STARTTLS is not offered on loopback", async () => {
    const smtp = emulator.smtp!;
    expect(smtp.starttls).toBe('remote');
    const defaults = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      auth: { user: 'api', pass: token },
    });
    transports.push(defaults);
    expect((await defaults.sendMail(mail)).accepted).toEqual(['reader@example.org']);
    expect(await ehlo(smtp.port)).not.toContain('STARTTLS');
    expect(emulator.messages()).toHaveLength(1);
  });

  it('fails a requireTLS client on loopback clearly (ETLS at STARTTLS) unless STARTTLS is offered there too', async () => {
    await expect(transport({ requireTLS: true }).sendMail(mail)).rejects.toMatchObject({
      code: 'ETLS',
      command: 'STARTTLS',
      message: /Error upgrading connection with STARTTLS/,
      response: expect.stringMatching(/^500 /),
    });
    expect(emulator.messages()).toHaveLength(0);
  });

  it("offers STARTTLS on loopback with smtpStarttls 'always': the client upgrades, verifies emulator.smtp.certificate, takes AUTH LOGIN", async () => {
    const forced = await startEmulator({ smtpPort: 0, smtpStarttls: 'always' });
    const to = (options: Record<string, unknown>) => {
      const made = nodemailer.createTransport({
        host: forced.smtp!.host,
        port: forced.smtp!.port,
        auth: { user: 'api', pass: forced.token },
        ...options,
      } as TransportConfig);
      transports.push(made);
      return made;
    };
    try {
      expect(forced.smtp!.starttls).toBe('always');
      expect(await ehlo(forced.smtp!.port)).toContain('STARTTLS');
      expect(await ehlo(forced.smtp!.bulkPort)).toContain('STARTTLS');
      // the defaults upgrade and then reject the self-signed certificate
      await expect(to({}).sendMail(mail)).rejects.toMatchObject({
        code: 'ESOCKET',
        message: /self-signed certificate/,
      });
      const secured = await to({
        requireTLS: true,
        authMethod: 'LOGIN',
        tls: { ca: forced.smtp!.certificate, servername: 'localhost' },
      }).sendMail(mail);
      expect(secured.accepted).toEqual(['reader@example.org']);
      // ignoreTLS still sends plain on loopback
      expect((await to({ ignoreTLS: true }).sendMail(mail)).accepted).toEqual(['reader@example.org']);
      expect(forced.messages()).toHaveLength(2);
    } finally {
      await forced.close();
    }
  });

  it('refuses an smtpStarttls that is neither remote nor always', async () => {
    await expect(
      startEmulator({ smtpPort: 0, smtpStarttls: 'never' as unknown as 'always' }),
    ).rejects.toThrow("`smtpStarttls` is 'remote' or 'always'");
  });

  describe.runIf(outsideAddress)('a client that is not on loopback', () => {
    let remote: RunningEmulator;
    beforeAll(async () => {
      remote = await startEmulator({ host: outsideAddress, smtpPort: 0 });
    });
    afterAll(async () => {
      await remote.close();
    });
    const to = (options: Record<string, unknown>) => {
      const made = nodemailer.createTransport({
        host: remote.smtp!.host,
        port: remote.smtp!.port,
        auth: { user: 'api', pass: remote.token },
        ...options,
      } as TransportConfig);
      transports.push(made);
      return made;
    };

    it('is offered STARTTLS, and sends once it trusts emulator.smtp.certificate', async () => {
      expect(await ehlo(remote.smtp!.port, outsideAddress)).toContain('STARTTLS');
      await expect(to({}).sendMail(mail)).rejects.toMatchObject({ code: 'ESOCKET' });
      const info = await to({ tls: { ca: remote.smtp!.certificate, servername: 'localhost' } }).sendMail(
        mail,
      );
      expect(info.accepted).toEqual(['reader@example.org']);
      expect(remote.messages().at(-1)?.smtp?.clientIp).toBe(outsideAddress);
    });

    it('may not AUTH in a plain session: 538', async () => {
      await expect(to({ ignoreTLS: true }).sendMail(mail)).rejects.toMatchObject({
        code: 'EAUTH',
        responseCode: 538,
        response: expect.stringContaining('use STARTTLS before AUTH'),
      });
    });
  });

  it('refuses wrong credentials with 535, and records the refusal', async () => {
    const wrong = transport({ auth: { user: 'api', pass: 'not-a-token' } });
    await expect(wrong.sendMail(mail)).rejects.toMatchObject({ responseCode: 535, code: 'EAUTH' });
    const other = transport({ auth: { user: 'someone', pass: token } });
    await expect(other.sendMail(mail)).rejects.toMatchObject({ responseCode: 535 });
    // a token without the transactional stream cannot log in there, but can on the bulk listener
    const scoped = transport({ auth: { user: 'api', pass: bulkOnly } });
    await expect(scoped.sendMail(mail)).rejects.toMatchObject({ responseCode: 535 });
    const bulk = transport({ port: emulator.smtp!.bulkPort, auth: { user: 'api', pass: bulkOnly } });
    await bulk.sendMail(mail);
    expect(emulator.messages().map((message) => message.stream)).toEqual(['bulk']);
    const refused = emulator.requests().filter((record) => record.status === 401);
    expect(refused).toHaveLength(3);
    expect(refused[0]).toMatchObject({
      method: 'SMTP',
      errors: ['535 5.7.8 Authentication credentials invalid'],
    });
  });

  it('refuses a message over the size limit with 552', async () => {
    const big = { ...mail, text: 'x'.repeat(250_000) };
    await expect(transport().sendMail(big)).rejects.toMatchObject({ responseCode: 552 });
    expect(emulator.messages()).toHaveLength(0);
    expect(emulator.requests().at(-1)).toMatchObject({ method: 'SMTP', status: 413 });
  });

  it('refuses a sender domain that is not verified, as the API does', async () => {
    const from = { ...mail, from: 'sender@unverified.example' };
    await expect(transport().sendMail(from)).rejects.toMatchObject({
      responseCode: 550,
      response: "550 5.7.1 Forbidden: the sending domain 'unverified.example' is not verified",
    });
    const api = await http(`${emulator.url}/api/send`, {
      token,
      body: {
        from: { email: 'sender@unverified.example' },
        to: [{ email: 'a@example.org' }],
        subject: 's',
        text: 't',
      },
    });
    expect(api.body.errors).toEqual(["Forbidden: the sending domain 'unverified.example' is not verified"]);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('takes many messages over one pooled connection', async () => {
    const pooled = transport({ pool: true, maxConnections: 1, maxMessages: Number.POSITIVE_INFINITY });
    const count = 60;
    const infos = await Promise.all(
      Array.from({ length: count }, (_, index) => pooled.sendMail({ ...mail, subject: `Message ${index}` })),
    );
    expect(infos.every((info: SentMessageInfo) => info.accepted?.length === 1)).toBe(true);
    const subjects = emulator.messages().map((message) => message.subject);
    expect(new Set(subjects).size).toBe(count);
    expect(emulator.stats().byStream.transactional.messages).toBe(count);
  });

  it('turns X-MT-Category and X-MT-Custom-Variables into category and custom variables', async () => {
    await transport().sendMail({
      ...mail,
      headers: {
        'X-MT-Category': 'Welcome',
        'X-MT-Custom-Variables': JSON.stringify({ user_id: '42', plan: 'pro' }),
        'X-Other': 'kept',
      },
    });
    const [stored] = emulator.messages();
    expect(stored!.category).toBe('Welcome');
    expect(stored!.custom_variables).toEqual({ user_id: '42', plan: 'pro' });
    expect(stored!.headers['X-Other']).toBe('kept');
    expect(stored!.headers['X-MT-Category']).toBeUndefined();
    const [log] = emulator.logs();
    expect(log).toMatchObject({ category: 'Welcome', custom_variables: { user_id: '42', plan: 'pro' } });
    const tooMany = JSON.stringify({ value: 'v'.repeat(1000) });
    await expect(
      transport().sendMail({ ...mail, headers: { 'X-MT-Custom-Variables': tooMany } }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      transport().sendMail({ ...mail, headers: { 'X-MT-Custom-Variables': 'not json' } }),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: '550 5.6.0 X-MT-Custom-Variables must be a JSON object: it is not valid JSON',
    });
  });

  it('puts envelope recipients in To, Cc and Bcc, one Email Logs entry each', async () => {
    await transport().sendMail({ ...mail, cc: 'copy@example.org', bcc: 'hidden@example.org' });
    const [stored] = emulator.messages();
    expect(stored!.to).toEqual([{ email: 'reader@example.org', name: 'Reader' }]);
    expect(stored!.cc).toEqual([{ email: 'copy@example.org' }]);
    expect(stored!.bcc).toEqual([{ email: 'hidden@example.org' }]);
    expect(emulator.logs().map((log) => log.to)).toEqual([
      'reader@example.org',
      'copy@example.org',
      'hidden@example.org',
    ]);
  });

  it('keeps attachments with their content', async () => {
    await transport().sendMail({
      ...mail,
      attachments: [
        { filename: 'notes.txt', content: 'attached text' },
        { filename: 'pixel.png', content: Buffer.from([137, 80, 78, 71]), cid: 'pixel@local' },
      ],
    });
    const [stored] = emulator.messages();
    // in the order of the MIME source (Nodemailer puts the inline image in multipart/related first)
    expect(stored!.attachments).toEqual([
      { filename: 'pixel.png', type: 'image/png', disposition: 'inline', content_id: 'pixel@local', size: 4 },
      { filename: 'notes.txt', type: 'text/plain', disposition: 'attachment', size: 13 },
    ]);
    const download = await fetch(`${emulator.url}/_emulator/messages/${stored!.id}/attachments/1`);
    expect(await download.text()).toBe('attached text');
  });

  it('lands sandbox credentials in that sandbox, and nowhere else', async () => {
    const sandboxes = await http(`${emulator.url}/api/accounts/${emulator.accountId}/sandboxes`, { token });
    const sandbox = sandboxes.body[0];
    await transport({ auth: { user: sandbox.username, pass: sandbox.password } }).sendMail(mail);
    const [stored] = emulator.messages();
    expect(stored).toMatchObject({ stream: 'sandbox', sandboxId: sandbox.id });
    expect(emulator.logs()).toHaveLength(0);
    const listed = await http(
      `${emulator.url}/api/accounts/${emulator.accountId}/sandboxes/${sandbox.id}/messages`,
      { token },
    );
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).toMatchObject({
      subject: 'Over SMTP',
      smtp_information: {
        ok: true,
        data: { mail_from_addr: 'sender@example.com', rcpt_to_addrs: ['reader@example.org'] },
      },
    });
    const raw = await fetch(
      `${emulator.url}/api/accounts/${emulator.accountId}/sandboxes/${sandbox.id}/messages/${listed.body[0].id}/body.eml`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(Buffer.from(await raw.arrayBuffer()).equals(stored!.source!)).toBe(true);
    // the bulk listener does not take sandbox credentials (bulk and sandbox do not combine)
    const bulk = transport({
      port: emulator.smtp!.bulkPort,
      auth: { user: sandbox.username, pass: sandbox.password },
    });
    await expect(bulk.sendMail(mail)).rejects.toMatchObject({ responseCode: 535 });
  });

  it('shows an SMTP message in Email Logs, stats and webhooks like an API one', async () => {
    const hook = await http(`${emulator.url}/api/webhooks`, {
      token,
      body: {
        webhook: {
          url: receiverUrl,
          webhook_type: 'email_sending',
          sending_stream: 'transactional',
          event_types: ['delivery', 'bounce'],
        },
      },
    });
    expect(hook.status).toBe(200);
    try {
      await transport().sendMail({
        ...mail,
        to: 'bounced@simulator.mailtrap-kit.test',
        headers: { 'X-MT-Category': 'Receipts', 'X-MT-Custom-Variables': '{"order":"7"}' },
      });
      const [stored] = emulator.messages();
      const id = stored!.messageIds[0]!;
      const log = await http(`${emulator.url}/api/accounts/${emulator.accountId}/email_logs/${id}`, {
        token,
      });
      expect(log.body).toMatchObject({
        message_id: id,
        status: 'not_delivered',
        category: 'Receipts',
        custom_variables: { order: '7' },
        sending_stream: 'transactional',
      });
      const stats = await http(
        `${emulator.url}/api/accounts/${emulator.accountId}/stats/categories?start_date=2000-01-01&end_date=2100-01-01`,
        { token },
      );
      expect(stats.body).toEqual(expect.arrayContaining([expect.objectContaining({ category: 'Receipts' })]));
      await emulator.webhooksSettled();
      const events = received.flatMap((body) => JSON.parse(body).events);
      expect(events).toEqual([
        expect.objectContaining({
          event: 'bounce',
          message_id: id,
          category: 'Receipts',
          custom_variables: { order: '7' },
          sending_stream: 'transactional',
        }),
      ]);
    } finally {
      await http(`${emulator.url}/api/webhooks/${hook.body.data.id}`, { method: 'DELETE', token });
    }
  });

  it('keeps an SMTP message in a data dir with its received bytes and envelope across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-smtp-data-'));
    try {
      const first = await startEmulator({ smtpPort: 0, dataDir: dir });
      const sent = nodemailer.createTransport({
        host: first.smtp!.host,
        port: first.smtp!.port,
        auth: { user: 'api', pass: first.token },
      });
      try {
        await sent.sendMail({ ...mail, headers: { 'X-MT-Category': 'Kept' } });
      } finally {
        sent.close();
        await first.close();
      }
      const before = first.messages()[0]!;
      const again = await startEmulator({ smtpPort: 0, dataDir: dir });
      try {
        const [kept] = again.messages();
        expect(kept).toMatchObject({ id: before.id, category: 'Kept', smtp: before.smtp });
        const eml = await fetch(`${again.url}/_emulator/messages/${kept!.id}/eml`);
        expect(Buffer.from(await eml.arrayBuffer()).equals(before.source!)).toBe(true);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
