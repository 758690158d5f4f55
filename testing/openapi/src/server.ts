import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnswerOptions, AnswerPlan, type PlannedAnswer } from './answers.js';
import { type SpecCall, CallRecorder } from './recording.js';
import { validateRequest } from './request-validation.js';
import { hostPrefixes, matchRoute } from './router.js';
import type { SpecHost } from './specs.js';

export interface SpecServerOptions {
  /**
   * Success bodies by `operationId` (or `spec:operationId`) for operations whose spec gives no
   * example (see the package README for the list), or to replace the spec's example.
   */
  successBodies?: Record<string, unknown>;
  /** Largest request body read, in bytes (default 64 MiB: above every sending limit). */
  maxBodyBytes?: number;
}

export interface SpecServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Base URLs for core's `endpoints` option, laid out like the emulator's. */
  endpoints: Record<SpecHost, string>;
  /** Every request received, in order. */
  readonly calls: readonly SpecCall[];
  /** The calls of one operation (`operationId` or `spec:operationId`). */
  callsOf(ref: string): SpecCall[];
  /** The most recent call (of one operation, when given). */
  lastCall(ref?: string): SpecCall | undefined;
  /** Every validation problem of every call so far, one line each (empty: all calls were spec-valid). */
  problems(): string[];
  /** The next call(s) of an operation get the spec's answer for `status` (`401`, `404`, `422`, `429`…). */
  answerNext(ref: string, status: number, options?: AnswerOptions): void;
  /** Answers asked for with `answerNext` that no call has used yet. */
  pendingAnswers(): string[];
  /** Drops the answers no call has used yet. */
  clearAnswers(): void;
  /** Forgets the calls and the queued answers. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A node:http server on 127.0.0.1 (port 0) that serves every operation of Mailtrap's nine specs
 * at once: the sending hosts under `/transactional`, `/bulk` and `/sandbox`, the account API at the
 * root. Each request is checked against the spec (auth header, method, path and query parameters,
 * JSON body); a request that does not match gets 400 `{error, problems}` naming every problem, a
 * valid one the spec's own example answer.
 */
export async function startSpecServer(options: SpecServerOptions = {}): Promise<SpecServer> {
  const recorder = new CallRecorder();
  const plan = new AnswerPlan(options.successBodies);
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, { status: 500, body: { error: String(error) } });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request, maxBodyBytes);
    const url = new URL(request.url ?? '/', 'http://spec.server');
    const method = request.method ?? 'GET';
    const base: SpecCall = {
      method,
      url: `${url.pathname}${url.search}`,
      params: {},
      query: {},
      body,
      problems: [],
      status: 0,
    };
    const route = matchRoute(method, url.pathname);
    if (route.kind !== 'matched') {
      const problem =
        route.kind === 'wrong-method'
          ? `method: ${method} is not an operation of ${url.pathname} (the spec has ${route.allowed.join(', ')})`
          : `path: no operation of the Mailtrap specs is ${method} ${url.pathname}`;
      const status = route.kind === 'wrong-method' ? 405 : 404;
      recorder.add({ ...base, host: route.host, problems: [problem], status });
      send(response, { status, body: { error: problem } });
      return;
    }
    const { operation, params, accountId } = route.match;
    const checked = validateRequest(operation, {
      params,
      search: url.search,
      headers: request.headers,
      body,
    });
    const call: SpecCall = {
      ...base,
      key: operation.key,
      operationId: operation.operationId,
      spec: operation.spec,
      host: operation.host,
      params: checked.params,
      query: checked.query,
      body: checked.body,
      problems: checked.problems,
      ...(request.headers.authorization
        ? { auth: 'bearer' as const }
        : request.headers['api-token']
          ? { auth: 'api-token' as const }
          : {}),
      ...(accountId !== undefined ? { accountId } : {}),
    };
    let answer: PlannedAnswer | undefined;
    if (checked.problems.length > 0) {
      answer = {
        status: 400,
        body: {
          error: `The request does not match ${operation.key} in Mailtrap's OpenAPI spec`,
          problems: checked.problems,
        },
      };
    } else {
      answer = plan.next(operation) ?? {
        status: 501,
        body: {
          error: `The spec gives no example answer for ${operation.key}; pass successBodies to startSpecServer`,
        },
      };
    }
    recorder.add({ ...call, status: answer.status });
    send(response, answer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const endpoints = Object.fromEntries(
    (Object.entries(hostPrefixes) as [SpecHost, string][]).map(([host, prefix]) => [host, `${url}${prefix}`]),
  ) as Record<SpecHost, string>;

  return {
    url,
    endpoints,
    calls: recorder.calls,
    callsOf: (ref) => recorder.of(ref),
    lastCall: (ref) => recorder.last(ref),
    problems: () => recorder.problems(),
    answerNext: (ref, status, answerOptions) => plan.answerNext(ref, status, answerOptions),
    pendingAnswers: () => plan.pending(),
    clearAnswers: () => plan.clear(),
    reset: () => {
      recorder.clear();
      plan.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: PlannedAnswer) {
  const headers: Record<string, string> = { ...answer.headers };
  let text = '';
  if (answer.body !== undefined && answer.status !== 204) {
    const contentType = answer.contentType ?? 'application/json';
    const json = contentType === 'application/json';
    headers['content-type'] = json ? 'application/json; charset=utf-8' : contentType;
    text = json || typeof answer.body !== 'string' ? JSON.stringify(answer.body) : answer.body;
  }
  response.writeHead(answer.status, headers);
  response.end(text);
}
