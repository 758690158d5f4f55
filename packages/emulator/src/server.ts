import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { endpointsFromBase } from '@mailtrap-kit/core';
import { createContext } from './context';
import { domainController } from './domain-controller';
import { logEvent } from './message-events';
import { eventInput } from './routes/account-control';
import { logEntry } from './store';
import { route } from './routes/router';
import { smtpCertificate } from './smtp/certificate';
import { SMTP_USER } from './smtp/smtp-credentials';
import { listenSmtp, type SmtpListener } from './smtp/smtp-listener';
import { openSqliteStorage } from './storage/sqlite-storage';
import type { EmulatorStorage } from './storage/storage';
import type { EmulatorOptions, EmulatorSmtp, RunningEmulator, StoredMessage } from './types';

/**
 * Starts the emulator on loopback; resolves once it listens. The state lives in one
 * EmulatorContext (context.ts); the routes are modules under routes/ (see routes/router.ts).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const starttls = options.smtpStarttls ?? 'remote';
  if (starttls !== 'remote' && starttls !== 'always') {
    throw new TypeError("startEmulator: `smtpStarttls` is 'remote' or 'always'");
  }
  const emulator = contextWithStorage(options, await storageOf(options));
  const { store, faults, settings } = emulator;
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    route(emulator, request, response).catch((error: unknown) => {
      if (!response.headersSent)
        response
          .writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify({ success: false, errors: [`emulator error: ${(error as Error).message}`] }));
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      emulator.persistence?.close();
      reject(error);
    });
    server.listen(options.port ?? 0, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost =
    address.family === 'IPv6' || settings.host.includes(':') ? `[${address.address}]` : address.address;
  const baseUrl = `http://${urlHost}:${address.port}`;
  emulator.baseUrl = baseUrl;

  let smtp: EmulatorSmtp | undefined;
  const smtpListeners: SmtpListener[] = [];
  if (options.smtpPort !== undefined) {
    try {
      const certificate = await smtpCertificate();
      for (const [stream, port] of [
        ['transactional', options.smtpPort],
        ['bulk', options.smtpBulkPort ?? 0],
      ] as const) {
        smtpListeners.push(
          await listenSmtp(emulator, { host: settings.host, port, stream, certificate, starttls }),
        );
      }
      smtp = {
        host: address.address,
        port: smtpListeners[0]!.port,
        bulkPort: smtpListeners[1]!.port,
        user: SMTP_USER,
        certificate: certificate.cert,
        starttls,
      };
      emulator.smtp = { host: smtp.host, port: smtp.port, bulkPort: smtp.bulkPort, starttls };
    } catch (error) {
      await Promise.all(smtpListeners.map((listener) => listener.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      emulator.persistence?.close();
      throw error;
    }
  }

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    smtp,
    // the layout core reads MAILTRAP_ENDPOINT with, so `--endpoint <url>` finds every host
    endpoints: endpointsFromBase(baseUrl),
    token: emulator.defaultToken,
    accountId: settings.accountId,
    sandboxId: options.sandboxIds?.[0] ?? 1,
    messages: (filter) => store.listMessages(filter),
    logs: () => store.logs.toArray().map(logEntry),
    requests: () => store.requests.toArray(),
    stats: () => structuredClone(store.stats),
    faults: {
      inject: (fault) => faults.inject(fault),
      rateLimit: (limit) => faults.rateLimit(limit),
      clear: (id) => faults.clear(id),
      active: () => faults.active(),
      history: () => faults.history(),
    },
    waitForMessage(filter, waitOptions = {}) {
      const found = store.listMessages(filter)[0];
      if (found) return Promise.resolve(found);
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return new Promise<StoredMessage>((resolve, reject) => {
        const stop = store.onMessage((message) => {
          if (!store.matches(message, filter)) return;
          clearTimeout(timer);
          stop();
          resolve(message);
        });
        const timer = setTimeout(() => {
          stop();
          const wanted =
            typeof filter === 'function'
              ? 'a message matching the filter function'
              : JSON.stringify(filter ?? {});
          reject(new Error(`waitForMessage: no message matching ${wanted} within ${timeoutMs} ms`));
        }, timeoutMs);
      });
    },
    domains: domainController(emulator),
    addEvent(messageId, input) {
      const event = emulator.delivery.addEvent(messageId, eventInput(input));
      if (!event) throw new TypeError(`addEvent: no Email Logs entry ${messageId} is kept`);
      emulator.persistence?.saveAccount();
      return { ...logEvent(event), event_id: event.event_id };
    },
    webhookDeliveries: () => emulator.webhookDispatcher.deliveries(),
    webhooksSettled: (waitOptions = {}) => emulator.webhookDispatcher.settled(waitOptions.timeoutMs),
    addTemplate(template) {
      const created = emulator.templates.create(template);
      emulator.persistence?.saveAccount();
      return created;
    },
    sandboxForwards: () => emulator.sandbox.forwards(),
    reset: () => emulator.reset(),
    close() {
      closed ??= new Promise<void>((resolve) => {
        emulator.events.close();
        emulator.webhookDispatcher.close();
        const http = new Promise<void>((done) => server.close(() => done()));
        for (const socket of sockets) socket.destroy();
        Promise.all([http, ...smtpListeners.map((listener) => listener.close())]).then(() => {
          emulator.persistence?.close();
          resolve();
        });
      });
      return closed;
    },
  };
}

/** The context over the storage; a storage opened for options that turn out invalid is closed again. */
function contextWithStorage(options: EmulatorOptions, storage: EmulatorStorage | undefined) {
  try {
    return createContext(options, storage);
  } catch (error) {
    if (options.dataDir !== undefined) storage?.close();
    throw error;
  }
}

/** The storage the options ask for: the SQLite one of `dataDir`, the given `storage`, or none. */
async function storageOf(options: EmulatorOptions): Promise<EmulatorStorage | undefined> {
  if (options.dataDir !== undefined && options.storage !== undefined) {
    throw new TypeError('startEmulator: give `dataDir` or `storage`, not both');
  }
  if (options.storage) return options.storage;
  if (options.dataDir === undefined) return undefined;
  if (typeof options.dataDir !== 'string' || options.dataDir === '') {
    throw new TypeError('startEmulator: `dataDir` must be a folder path');
  }
  return openSqliteStorage(options.dataDir);
}
