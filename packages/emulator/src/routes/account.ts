/**
 * The account API (`/api/...` on the general host, also under `/api/accounts/{account_id}/...`):
 * authentication, the rate limit and faults, then the first matching route of ACCOUNT_ROUTES.
 *
 * Adding an area of the account API: write `routes/<area>.ts` exporting an `AccountRoute[]`
 * (state goes on the EmulatorContext, built in context.ts; logic that is not HTTP in its own
 * module next to it), add the list to ACCOUNT_ROUTES below, and test it over real HTTP. A route
 * answers with an `AccountAnswer`; it never writes to the response itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountAnswer } from '../account';
import { authenticate } from '../auth';
import type { EmulatorContext, TokenEntry } from '../context';
import { drain, readBody, readJson, sendJson } from '../http';
import {
  accountLimited,
  answersNow,
  applyFault,
  applyLatency,
  breakConnection,
  rateLimited,
} from '../request-faults';
import { accountsRoutes } from './accounts';
import { apiTokenRoutes } from './api-tokens';
import { domainRoutes } from './domains';
import { contactRoutes } from './contacts';
import { emailLogRoutes } from './email-logs';
import { projectRoutes, sandboxRoutes } from './sandbox';
import { sandboxMessageRoutes } from './sandbox-messages';
import { statsRoutes } from './stats';
import { suppressionRoutes } from './suppressions';
import { templateRoutes } from './templates';
import { webhookRoutes } from './webhooks';

/** One request to an account route. */
export interface AccountCall {
  method: string;
  /** The capture groups of the route's `path` (URI-encoded as received). */
  params: Array<string | undefined>;
  /** The raw query string (without '?'). */
  query: string;
  token: TokenEntry;
  /** The JSON body (undefined when empty); a body that is not JSON answers 400 Bad Request. */
  body(): Promise<unknown>;
  request: IncomingMessage;
}

export interface AccountRoute {
  /**
   * Matched against the path with the account prefix removed: `/api/accounts/1/domains/5` and
   * `/api/domains/5` are both `/api/domains/5`.
   */
  path: RegExp;
  /** Whether the route answers only without the account prefix (like GET /api/accounts). */
  bareOnly?: boolean;
  handle(emulator: EmulatorContext, call: AccountCall): AccountAnswer | Promise<AccountAnswer>;
}

/** Every account route, first match wins. */
export const ACCOUNT_ROUTES: AccountRoute[] = [
  ...accountsRoutes,
  ...domainRoutes,
  ...apiTokenRoutes,
  ...templateRoutes,
  ...emailLogRoutes,
  ...suppressionRoutes,
  ...projectRoutes,
  ...sandboxRoutes,
  ...sandboxMessageRoutes,
  ...statsRoutes,
  ...contactRoutes,
  ...webhookRoutes,
];

class BadRequestBody extends Error {}

const ACCOUNT_PREFIX = /^\/api\/accounts\/([^/]+)(\/.*)?$/;

export async function handleAccount(
  emulator: EmulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: string,
  started: number,
): Promise<void> {
  const record = emulator.newRecord(request, path, 'account');
  const answer = (result: AccountAnswer, headers?: Record<string, string>) => {
    const body = result.body as Record<string, unknown> | undefined;
    if (result.status >= 400 && body) {
      const errors = body.error ?? body.errors;
      record.errors = typeof errors === 'string' ? [errors] : errors ? [JSON.stringify(errors)] : [];
    }
    emulator.finish(record, started, result.status);
    drain(request);
    if (result.raw && !response.destroyed) {
      response.writeHead(result.status, {
        'content-type': result.raw.contentType,
        'content-length': Buffer.byteLength(result.raw.data),
        ...result.raw.headers,
        ...headers,
      });
      response.end(result.raw.data);
      return;
    }
    sendJson(response, result.status, result.body, headers);
  };
  const auth = authenticate(emulator, request);
  if (!auth.token) return answer({ status: 401, body: { error: 'Incorrect API token' } });
  const token = auth.token;
  record.tokenKey = token.key;
  const wait = rateLimited(emulator, token.key, record);
  if (wait > 0) {
    return answer(
      { status: 429, body: { errors: 'Rate limit exceeded' } },
      { 'retry-after': String(Math.ceil(wait / 1000)) },
    );
  }
  const { faults } = emulator;
  await applyLatency(emulator, faults.takeLatency({ kind: 'account' }, 'headers'), record);
  const pending = faults.take({ kind: 'account' }, 'headers');
  if (pending?.kind === 'reset_after_body') {
    await readBody(request, emulator.settings.maxBatchBytes).catch(() => undefined);
    return breakConnection(emulator, pending, request, record, started);
  }
  // on the account API a 5xx rule answers before anything is processed, `accepted` or not
  if (answersNow(pending) || pending?.kind === 'server_error')
    return applyFault(emulator, pending!, request, response, record, started, 'account');

  let rest = path;
  const prefixed = ACCOUNT_PREFIX.exec(path);
  if (prefixed) {
    if (String(emulator.settings.accountId) !== prefixed[1])
      return answer({ status: 403, body: { errors: 'Account access forbidden' } });
    rest = `/api${prefixed[2] ?? ''}`;
  }
  const method = request.method ?? 'GET';
  const poolWait = accountLimited(emulator, method, rest, record);
  if (poolWait > 0) {
    return answer(
      { status: 429, body: { errors: 'Rate limit exceeded' } },
      { 'retry-after': String(Math.ceil(poolWait / 1000)) },
    );
  }
  for (const route of ACCOUNT_ROUTES) {
    if (route.bareOnly && prefixed) continue;
    const match = route.path.exec(rest);
    if (!match) continue;
    const call: AccountCall = {
      method,
      params: match.slice(1),
      query,
      token,
      request,
      body: async () => {
        try {
          return await readJson(request, emulator.settings.maxMessageBytes);
        } catch {
          throw new BadRequestBody();
        }
      },
    };
    try {
      return answer(await route.handle(emulator, call));
    } catch (error) {
      if (error instanceof BadRequestBody) return answer({ status: 400, body: { error: 'Bad Request' } });
      throw error;
    }
  }
  return answer({ status: 404, body: { error: 'Not Found' } });
}
