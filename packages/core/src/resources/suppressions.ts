import type { EmailSendingSpec } from '../generated';
import type { Suppression } from '../types';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkDateTime, checkEmail, checkId, checkObject, checkOneOf, checkString } from './input';
import type { RequestBody, SuccessBody } from './spec-types';

export const suppressionsOperations = {
  list: defineOperation({
    operationId: 'getSuppressions',
    method: 'GET',
    path: '/suppressions',
    accountLimit: 'suppressions',
  }),
  create: defineOperation({
    operationId: 'createSuppression',
    method: 'POST',
    path: '/suppressions',
    accountLimit: 'suppressions',
  }),
  delete: defineOperation({
    operationId: 'deleteSuppression',
    method: 'DELETE',
    path: '/suppressions/{suppression_id}',
    accountLimit: 'suppressions',
  }),
};

type Operations = EmailSendingSpec.operations;

export interface SuppressionsListParams {
  /** Only this address. */
  email?: string;
  /** Created at or after (ISO 8601 or a Date). */
  start_time?: string | Date;
  /** Created at or before (ISO 8601 or a Date). */
  end_time?: string | Date;
  /** The `id` of the last suppression of the previous page (`iterate` follows it for you). */
  last_id?: string;
}

/** The body of `create`: `{ email, domain_id, sending_stream, type? }`. */
export type SuppressionInput = RequestBody<Operations['createSuppression']>;
export type SuppressionCreateResult = SuccessBody<Operations['createSuppression']>;

export interface SuppressionsResource {
  /** One page of up to 1000 suppressions (10 requests/min per account, applied by the client). */
  list(params?: SuppressionsListParams, options?: CallOptions): Promise<Suppression[]>;
  /** Every suppression matching `params`, following `last_id` page by page (no silent cut at 1000). */
  iterate(
    params?: Omit<SuppressionsListParams, 'last_id'>,
    options?: CallOptions,
  ): AsyncIterableIterator<Suppression>;
  create(suppression: SuppressionInput, options?: CallOptions): Promise<SuppressionCreateResult>;
  /** Removes a suppression by its id: the address may be sent to again. */
  delete(id: string, options?: CallOptions): Promise<Suppression>;
}

/** The API's page size of `GET /api/suppressions` (the spec: "up to 1000 suppressions per request"). */
const suppressionsPageSize = 1000;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const types = ['hard bounce', 'unsubscription', 'spam complaint', 'manual import'] as const;

function checkUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !uuid.test(value))
    invalid(field, `expected a suppression id (a UUID), got ${JSON.stringify(value)}`);
  return value;
}

function listQuery(params: SuppressionsListParams): Record<string, unknown> {
  checkObject(params, 'params', ['email', 'start_time', 'end_time', 'last_id']);
  const query: Record<string, unknown> = {};
  if (params.email !== undefined) query.email = checkString(params.email, 'email');
  if (params.start_time !== undefined) query.start_time = checkDateTime(params.start_time, 'start_time');
  if (params.end_time !== undefined) query.end_time = checkDateTime(params.end_time, 'end_time');
  if (params.last_id !== undefined) query.last_id = checkUuid(params.last_id, 'last_id');
  return query;
}

export function createSuppressionsResource(call: Call): SuppressionsResource {
  const operations = suppressionsOperations;
  const list = async (params: SuppressionsListParams = {}, options?: CallOptions): Promise<Suppression[]> =>
    call(operations.list, { query: listQuery(params), signal: options?.signal });
  return {
    list,
    iterate: async function* (params = {}, options) {
      let lastId: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        const page = await list({ ...params, ...(lastId !== undefined ? { last_id: lastId } : {}) }, options);
        for (const suppression of page) yield suppression;
        const last = page[page.length - 1]?.id;
        // A page shorter than the documented 1000 is the last one (no extra request, which would
        // cost one of the 10 per minute); a cursor seen before ends the walk too.
        if (page.length < suppressionsPageSize || last === undefined || seen.has(last)) return;
        seen.add(last);
        lastId = last;
      }
    },
    create: async (suppression, options) => {
      const body = checkObject(suppression, 'suppression', ['email', 'domain_id', 'sending_stream', 'type']);
      checkEmail(body.email, 'suppression.email');
      checkId(body.domain_id, 'suppression.domain_id');
      checkOneOf(body.sending_stream, 'suppression.sending_stream', ['transactional', 'bulk']);
      if (body.type !== undefined) checkOneOf(body.type, 'suppression.type', types);
      return call(operations.create, { body, signal: options?.signal });
    },
    delete: async (id, options) =>
      call(operations.delete, { path: { suppression_id: checkUuid(id, 'id') }, signal: options?.signal }),
  };
}
