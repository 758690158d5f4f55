import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhookEvents, verifyWebhookSignature, type WebhookEvent } from '@mailtrap-kit/core';

/** What the receiver saw: a verified delivery with its events, or a refused request and why. */
export type ReceiverDelivery =
  | { verified: true; events: WebhookEvent[]; format: 'json' | 'jsonlines' }
  | { verified: false; reason: string };

export interface WebhookReceiverSettings {
  /** The webhook's signing secret (`signing_secret` of `webhooks create`); may be set later with `setSecret`. */
  secret?: string;
  port?: number;
  host?: string;
  /** The path deliveries are POSTed to. Default `/`. */
  path?: string;
  onDelivery(delivery: ReceiverDelivery): void;
}

export interface WebhookReceiver {
  url: string;
  /** Sets the secret deliveries are verified with (e.g. once the webhook for `url` is created). */
  setSecret(secret: string): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A local HTTP receiver for Mailtrap webhooks: verifies `Mailtrap-Signature` (the hex
 * HMAC-SHA256 of the raw body) with core's `verifyWebhookSignature`, answers 200 to a verified
 * delivery and 401 to any other, and reports each to `onDelivery`.
 */
export async function startWebhookReceiver(settings: WebhookReceiverSettings): Promise<WebhookReceiver> {
  const path = settings.path ?? '/';
  let secret = settings.secret ?? '';
  const server: Server = createServer(async (request, response) => {
    const answer = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    };
    if (request.method !== 'POST' || (request.url ?? '/').split('?')[0] !== path) {
      answer(404, 'Not Found');
      return;
    }
    const body = await readBody(request);
    const signature = request.headers['mailtrap-signature'];
    if (typeof signature !== 'string' || !verifyWebhookSignature(body, signature, secret)) {
      settings.onDelivery({
        verified: false,
        reason: typeof signature === 'string' ? 'bad Mailtrap-Signature' : 'no Mailtrap-Signature header',
      });
      answer(401, 'Invalid signature');
      return;
    }
    let events: WebhookEvent[];
    try {
      events = parseWebhookEvents(body);
    } catch (error) {
      settings.onDelivery({
        verified: false,
        reason: `signed, but not a webhook body: ${(error as Error).message}`,
      });
      answer(400, 'Bad Request');
      return;
    }
    let format: 'json' | 'jsonlines' = 'jsonlines';
    try {
      format = Array.isArray(JSON.parse(body.toString('utf8'))?.events) ? 'json' : 'jsonlines';
    } catch {
      // more than one line: JSON Lines
    }
    settings.onDelivery({ verified: true, events, format });
    answer(200, 'OK');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port ?? 0, settings.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${path}`,
    setSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
