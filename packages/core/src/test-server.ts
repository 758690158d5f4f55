import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TransportName } from './transport';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The default transport of the test project: vitest.config.ts runs the behaviour suites with each. */
    transport: TransportName;
  }
}

/** A request as the test server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type TestHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  raw: IncomingMessage,
) => void | Promise<void>;

/** A node:http server on 127.0.0.1, port 0, answering with queued handlers (then the default). */
export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Handlers used once each, in order, before the default. */
  queue: TestHandler[];
  /** Answers when the queue is empty. */
  fallback: TestHandler;
  server: Server;
  close(): Promise<void>;
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

export async function startTestServer(
  fallback?: TestHandler,
  options: { readBody?: boolean } = {},
): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    requests: [],
    queue: [],
    fallback:
      fallback ?? ((_request, response) => json(response, 200, { success: true, message_ids: ['id-1'] })),
    server: undefined as unknown as Server,
    close: async () => {},
  };
  const server = createServer(async (raw, response) => {
    const handler = state.queue.shift() ?? state.fallback;
    let body = '';
    if (options.readBody !== false) {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of raw) chunks.push(chunk as Buffer);
      } catch {
        return; // the client went away mid-body
      }
      body = Buffer.concat(chunks).toString();
    }
    const recorded: RecordedRequest = {
      method: raw.method ?? '',
      url: raw.url ?? '',
      headers: raw.headers,
      body,
    };
    state.requests.push(recorded);
    try {
      await handler(recorded, response, raw);
    } catch (error) {
      if (!response.headersSent) json(response, 599, { error: String(error) });
    }
  });
  // Above undici's 2 s keep-alive threshold (a shorter hint makes undici drop every socket at once).
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${address.port}`;
  state.server = server;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A port on which nothing listens (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
