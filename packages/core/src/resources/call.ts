import { MailtrapConfigurationError, MailtrapValidationError } from '../errors';
import type { AccountLimitName, ResponseType } from '../types';

/**
 * The one call primitive of the account API. Every resource (`src/resources/<area>.ts`) is a thin
 * typed layer over it: a table of operation definitions plus methods that validate their input and
 * call `call(operation, { path, query, body, signal })`.
 *
 * How to add a resource area:
 * 1. In `src/resources/<area>.ts`, declare each operation once with {@link defineOperation}: the
 *    spec's `operationId`, the HTTP method, the path below `/api` as the spec writes it
 *    (`/contacts/{contact_identifier}`), `scope: 'token'` when the API has no
 *    `/api/accounts/{account_id}/...` form of it, `response` for bodies that are not JSON (`text`,
 *    `bytes`, or `none` for 204s), and `accountLimit` when the operation draws on a per-account pool
 *    (`contacts`: 200/min; see `ACCOUNT_RATE_LIMITS`). The client then waits for that pool (shared,
 *    configurable by `accountRateLimits`) as well as for the token's 150 / 10 s.
 * 2. Write `create<Area>Resource(call)` returning the methods. Check input where the spec states a
 *    rule (required fields, lengths, enums, mutually exclusive fields) with the helpers of
 *    `resources/input.ts`: they throw the same `MailtrapValidationError` (with `field`) as sending.
 *    Request and response types come from `src/generated` (the vendor specs).
 * 3. Add the area to `MailtrapClient` (one readonly property) and its operation table to
 *    `src/resources/registry.ts` (with the official SDK's method name, for the README table); the
 *    spec drift test (`registry.test.ts`) then proves every operation of the specs has a method.
 */
export interface OperationDefinition {
  /** The vendor spec's `operationId`. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path below `/api`, with `{name}` placeholders filled from the call's `path` values. */
  readonly path: string;
  /**
   * `account` (the default): `/api/accounts/{accountId}<path>` when the client has an `accountId`,
   * else the token-scoped `/api<path>`. `token`: always `/api<path>` (the API has one form only).
   */
  readonly scope: 'account' | 'token';
  /** How the 2xx body is read: JSON (default), text, bytes, or none (a 204). */
  readonly response: ResponseType | 'none';
  /** The per-account request pool the operation draws on, if any. */
  readonly accountLimit: AccountLimitName | undefined;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Declares one operation (frozen). */
export function defineOperation(definition: {
  operationId: string;
  method: HttpMethod;
  path: string;
  scope?: 'account' | 'token';
  response?: ResponseType | 'none';
  accountLimit?: AccountLimitName;
}): OperationDefinition {
  return Object.freeze({
    operationId: definition.operationId,
    method: definition.method,
    path: definition.path,
    scope: definition.scope ?? 'account',
    response: definition.response ?? 'json',
    accountLimit: definition.accountLimit,
  });
}

/** Where a call's values go: path placeholders, the query string, the JSON body. */
export interface CallInput {
  path?: Record<string, string | number>;
  /** Encoded with bracket notation (`filters[to][value][]=a`); undefined values are left out. */
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** The call primitive the client hands to each resource. */
export type Call = <T>(operation: OperationDefinition, input?: CallInput) => Promise<T>;

const placeholder = /\{([a-z_]+)\}/g;

/** The request path of `operation` (below the host's base) for `accountId`. @internal */
export function operationPath(
  operation: OperationDefinition,
  values: Record<string, string | number> | undefined,
  accountId: string | undefined,
): string {
  const filled = operation.path.replace(placeholder, (_match, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === '') {
      throw new MailtrapConfigurationError(
        `${operation.operationId}: no value for the path parameter \`${name}\``,
      );
    }
    return encodeURIComponent(String(value));
  });
  return operation.scope === 'account' && accountId !== undefined
    ? `/api/accounts/${accountId}${filled}`
    : `/api${filled}`;
}

/** Per-call options of every resource method. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** A check failed before sending: the same error as a message check. @internal */
export function invalid(field: string, why: string): never {
  throw new MailtrapValidationError(`Invalid \`${field}\`: ${why}`, { field });
}
