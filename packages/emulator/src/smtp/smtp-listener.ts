/**
 * One SMTP listener of the emulator (Nodemailer's `smtp-server`): AUTH PLAIN or LOGIN with
 * Mailtrap's credentials, STARTTLS with the generated certificate (offered to clients that are
 * not on loopback, who must use it before AUTH; a loopback client gets a plain session unless
 * `starttls` is 'always'), the message size limit, and each message handed to the sending
 * path (processSend) as a send body read from its MIME source. Every transaction is recorded
 * like an API request (method 'SMTP'), so the inbox's Requests view shows refusals too.
 */
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { EmulatorContext } from '../context';
import { processSend } from '../messages';
import type { SmtpEnvelope, SmtpStarttls } from '../types';
import type { SmtpCertificate } from './certificate';
import { type SmtpLogin, smtpLogin } from './smtp-credentials';
import { sendBodyOf } from './smtp-message';

export interface SmtpListenerSettings {
  host: string;
  /** 0: a free port. */
  port: number;
  /** The stream of the `api` user's messages on this listener. */
  stream: 'transactional' | 'bulk';
  certificate: SmtpCertificate;
  /** Whom STARTTLS is offered to: 'remote' (clients not on loopback) or 'always' (loopback too). */
  starttls: SmtpStarttls;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/** The host name in the greeting and in EHLO's answer. */
const SERVER_NAME = 'emulator.mailtrap-kit.test';

/** An SMTP error reply: `code` and the text after it. */
function reply(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * The received bytes in a buffer of their own: a small Buffer.concat would be a slice of Node's
 * shared 8 KiB pool, and a kept message would hold the whole slab (and whatever else is in it).
 */
function ownBuffer(chunks: Buffer[]): Buffer {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const buffer = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(buffer, offset);
  return buffer;
}

function isLoopback(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/** The API status of a refusal, as an SMTP reply: 550 with an enhanced code and the API's text. */
function refusal(status: number, errors: string[]): Error & { responseCode: number } {
  const enhanced = status === 401 || status === 403 ? '5.7.1' : '5.6.0';
  return reply(550, `${enhanced} ${errors.join('; ')}`);
}

export async function listenSmtp(
  emulator: EmulatorContext,
  settings: SmtpListenerSettings,
): Promise<SmtpListener> {
  const { maxMessageBytes } = emulator.settings;
  let path = '';

  /** Records one transaction (a message, or a refused login) like an API request. */
  const record = (login: SmtpLogin | undefined, errors: string[]) => {
    const entry = emulator.newRecord({ method: 'SMTP', headers: {} }, path, 'send');
    entry.stream = login?.stream ?? settings.stream;
    entry.tokenKey = login?.token.key;
    entry.errors = errors;
    return entry;
  };

  const server = new SMTPServer({
    name: SERVER_NAME,
    banner: 'Mailtrap emulator',
    logger: false,
    secure: false,
    key: settings.certificate.key,
    cert: settings.certificate.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // plain sessions may authenticate from loopback only: checked in onAuth
    allowInsecureAuth: true,
    disableReverseLookup: true,
    size: maxMessageBytes,
    rejectOversized: true,
    closeTimeout: 200,
    onConnect(session, callback) {
      // Nodemailer (like most clients) upgrades whenever STARTTLS is offered and then rejects the
      // self-signed certificate: loopback clients are not offered it, so their defaults just work
      if (settings.starttls === 'remote' && isLoopback(session.remoteAddress)) {
        session.disabledCommands = ['STARTTLS'];
      }
      callback();
    },
    onAuth(auth, session, callback) {
      const started = performance.now();
      if (!session.secure && !isLoopback(session.remoteAddress)) {
        return callback(reply(538, '5.7.11 Encryption required: use STARTTLS before AUTH'));
      }
      const login = smtpLogin(emulator, settings.stream, auth.username ?? '', auth.password ?? '');
      if (!login) {
        const text = '5.7.8 Authentication credentials invalid';
        emulator.finish(record(undefined, [`535 ${text}`]), started, 401);
        return callback(reply(535, text));
      }
      callback(null, { user: login });
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (message) => callback(null, message),
        (error: Error) => callback(error),
      );
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const started = performance.now();
    const login = session.user as SmtpLogin;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) if (!stream.sizeExceeded) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) {
      // smtp-server answers 552 itself (rejectOversized)
      const error = `552 message exceeds fixed maximum message size ${maxMessageBytes}`;
      emulator.finish(record(login, [error]), started, 413);
      return '';
    }
    const source = ownBuffer(chunks);
    const envelope: SmtpEnvelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
      clientIp: session.remoteAddress,
    };
    let read: Awaited<ReturnType<typeof sendBodyOf>>;
    try {
      read = await sendBodyOf(source, envelope);
    } catch (error) {
      read = { error: `the message could not be read: ${(error as Error).message}` };
    }
    if ('error' in read) {
      emulator.finish(record(login, [read.error]), started, 400);
      throw refusal(400, [read.error]);
    }
    const entry = record(login, []);
    const outcome = processSend(emulator, {
      body: read.body,
      bytes: source.length,
      stream: login.stream,
      sandboxId: login.sandboxId,
      token: login.token,
      record: entry,
      smtp: { source, envelope },
    });
    entry.acceptedMessageIds = outcome.acceptedIds;
    entry.errors = outcome.errors;
    emulator.finish(entry, started, outcome.status);
    if (outcome.status !== 200) throw refusal(outcome.status, outcome.errors);
    return `2.0.0 Ok: queued as ${outcome.acceptedIds[0]}`;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // errors of single connections (a client that goes away) are the client's, not the emulator's
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  path = `smtp://${urlHost}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    port,
    close() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}
