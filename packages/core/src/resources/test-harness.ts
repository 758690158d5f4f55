import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailtrapClient, MailtrapValidationError } from '../index';
import { type SpecServer, startSpecServer } from '@mailtrap-kit/openapi-testing';
import { startTestServer, type TestServer } from '../test-server';
import { OPERATION_REGISTRY } from './registry';

export type ResourceClient = MailtrapClient;

/** The spec operationId of a case named `namespace.method …`. */
function operationIdOf(name: string): string {
  const [namespace, method] = name.split(' ')[0]!.split('.') as [string, string];
  const operationId = OPERATION_REGISTRY.find(
    (entry) => entry.namespace === namespace && entry.method === method,
  )?.operationId;
  if (!operationId) throw new Error(`No operation registered for ${namespace}.${method}`);
  return operationId;
}

/** One operation as it must appear on the wire. */
export interface WireCase {
  /** `namespace.method`, e.g. `contacts.create`. */
  name: string;
  call: (client: ResourceClient) => Promise<unknown>;
  method: string;
  /** The token-scoped path with its query, e.g. `/api/contacts/lists`. */
  path: string;
  /** The path with `accountId: 4242`; default: `/api/accounts/4242/...`; `false`: the same path. */
  accountPath?: string | false;
  /** The JSON body the server must receive (undefined: no body). */
  body?: unknown;
  status?: number;
  /** What the server answers: JSON (an object or array), a string or a Buffer. */
  answer?: unknown;
  contentType?: string;
  /** What the method resolves with; default: the answer (parsed). */
  expected?: unknown;
}

/** A call refused before sending. */
export interface RefusalCase {
  name: string;
  call: (client: ResourceClient) => Promise<unknown>;
  /** The `field` of the `MailtrapValidationError`. */
  field: string;
  message?: RegExp;
}

const token = 'resource-token-0123456789';

function answer(server: TestServer, wire: WireCase): void {
  server.queue.push((_request, response) => {
    const status = wire.status ?? 200;
    if (wire.answer === undefined) {
      response.writeHead(status === 200 ? 204 : status);
      response.end();
      return;
    }
    const binary = Buffer.isBuffer(wire.answer);
    const text = typeof wire.answer === 'string';
    response.writeHead(status, {
      'content-type':
        wire.contentType ?? (binary ? 'message/rfc822' : text ? 'text/plain' : 'application/json'),
    });
    response.end(binary || text ? wire.answer : JSON.stringify(wire.answer));
  });
}

/** The account id of the `/api/accounts/{account_id}/...` form in these tests. */
const accountId = 4242;

/**
 * Runs every case in both path forms twice: against a node:http server (the exact method, path,
 * query, body and result asserted) and against the spec-driven server (the request is the case's
 * vendor operation and valid for its spec).
 */
export function describeWire(title: string, cases: WireCase[]): void {
  describe(title, () => {
    let server: TestServer;
    let spec: SpecServer;
    const clients: MailtrapClient[] = [];
    const make = (general: string, options: { accountId?: number }) => {
      const client = new MailtrapClient({
        token,
        endpoints: { general },
        retry: false,
        rateLimit: false,
        ...options,
      });
      clients.push(client);
      return client;
    };
    beforeAll(async () => {
      [server, spec] = await Promise.all([startTestServer(), startSpecServer()]);
    });
    afterAll(async () => {
      await Promise.all(clients.map((client) => client.close()));
      await Promise.all([server.close(), spec.close()]);
    });
    beforeEach(() => {
      server.requests.length = 0;
      server.queue.length = 0;
      spec.reset();
    });

    for (const wire of cases) {
      const forms: [string, { accountId?: number }, string][] = [['token-scoped', {}, wire.path]];
      if (wire.accountPath !== false) {
        const accountPath = wire.accountPath ?? wire.path.replace(/^\/api\//, `/api/accounts/${accountId}/`);
        forms.push(['account', { accountId }, accountPath]);
      }
      for (const [form, options, path] of forms) {
        it(`${wire.name}: ${wire.method} ${path} (${form} path)`, async () => {
          answer(server, wire);
          const result = await wire.call(make(server.url, options));
          expect(server.requests).toHaveLength(1);
          const request = server.requests[0]!;
          expect(`${request.method} ${request.url}`).toBe(`${wire.method} ${path}`);
          expect(request.headers.authorization).toBe(`Bearer ${token}`);
          if (wire.body === undefined) expect(request.body).toBe('');
          else {
            expect(request.headers['content-type']).toBe('application/json');
            expect(JSON.parse(request.body)).toEqual(wire.body);
          }
          const expected = 'expected' in wire ? wire.expected : wire.answer;
          if (Buffer.isBuffer(expected)) {
            expect(result).toBeInstanceOf(Uint8Array);
            expect(Buffer.from(result as Uint8Array).equals(expected)).toBe(true);
          } else expect(result).toEqual(expected);
        });

        const operationId = operationIdOf(wire.name);
        it(`${wire.name}: a valid ${operationId} request for the vendor spec (${form} path)`, async () => {
          await wire.call(make(spec.url, options)).catch(() => undefined);
          expect(spec.calls.map((call) => call.operationId)).toEqual([operationId]);
          expect(spec.problems()).toEqual([]);
          expect(spec.lastCall()?.accountId).toBe(
            options.accountId === undefined ? undefined : String(accountId),
          );
        });
      }
    }
  });
}

/** Runs every case: each must throw a `MailtrapValidationError` naming `field`, with nothing sent. */
export function describeRefusals(title: string, cases: RefusalCase[]): void {
  describe(title, () => {
    let server: TestServer;
    let client: MailtrapClient;
    beforeAll(async () => {
      server = await startTestServer();
      client = new MailtrapClient({
        token,
        endpoints: { general: server.url },
        retry: false,
        rateLimit: false,
      });
    });
    afterAll(async () => {
      await client.close();
      await server.close();
    });
    for (const refusal of cases) {
      it(`${refusal.name} refuses \`${refusal.field}\` before sending`, async () => {
        const error = await refusal.call(client).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(MailtrapValidationError.isInstance(error)).toBe(true);
        expect((error as MailtrapValidationError).field).toBe(refusal.field);
        if (refusal.message) expect((error as Error).message).toMatch(refusal.message);
        expect(server.requests).toHaveLength(0);
      });
    }
  });
}
