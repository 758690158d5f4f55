// Shared by the tests only (not exported from index.ts).
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer10 from 'nodemailer';
import nodemailer9 from 'nodemailer9';
import { type MappedMessage, mapMessage, type NodemailerMailMessage } from './mapping';

export interface NodemailerModule {
  createTransport(transport: unknown, defaults?: Record<string, unknown>): any;
}

export const nodemailerMajors: Array<[string, NodemailerModule]> = [
  ['nodemailer 10', nodemailer10 as unknown as NodemailerModule],
  ['nodemailer 9', nodemailer9 as unknown as NodemailerModule],
];

/** The envelope Nodemailer itself computed for the last message mapped by mapThroughNodemailer. */
export let lastEnvelope: unknown;

/** Runs a message through Nodemailer and maps what the transport receives, without sending. */
export async function mapThroughNodemailer(
  message: Record<string, unknown>,
  options: {
    nodemailer?: NodemailerModule;
    defaults?: Record<string, unknown>;
    ignoreOptions?: string[];
    validate?: boolean;
  } = {},
): Promise<MappedMessage> {
  const nodemailer = options.nodemailer ?? (nodemailer10 as unknown as NodemailerModule);
  let mapped: MappedMessage | undefined;
  const transport = {
    name: 'capture',
    version: '1.0.0',
    send(mail: NodemailerMailMessage, callback: (error: Error | null, info?: unknown) => void) {
      mapMessage(mail, {
        ignoreOptions: options.ignoreOptions ? new Set(options.ignoreOptions) : undefined,
        validate: options.validate ?? true,
      }).then(
        (result) => {
          mapped = result;
          lastEnvelope = mail.message.getEnvelope();
          callback(null, {});
        },
        (error: Error) => callback(error),
      );
    },
  };
  const transporter = nodemailer.createTransport(transport, options.defaults);
  await transporter.sendMail(message);
  return mapped!;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A loopback proxy in front of the emulator that keeps every request body, so tests can assert
 * the exact JSON the transport sent (the emulator stores attachments by size only).
 */
export async function startRecordingProxy(target: string): Promise<{
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const targetUrl = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: body.toString('utf8'),
      });
      const forward = httpRequest(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: targetUrl.host, 'content-length': String(body.length) },
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback server for `href` content. */
export async function startContentServer(
  files: Record<string, { body: string | Buffer; type?: string }>,
): Promise<{
  url: string;
  hits: string[];
  close(): Promise<void>;
}> {
  const hits: string[] = [];
  const server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0]!;
    hits.push(path);
    const file = files[path];
    if (!file) {
      outgoing.writeHead(404).end('not found');
      return;
    }
    outgoing.writeHead(200, { 'content-type': file.type ?? 'application/octet-stream' });
    outgoing.end(file.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
