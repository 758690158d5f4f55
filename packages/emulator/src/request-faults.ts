/**
 * How a fault rule shapes one request: the one place that records a fault, delays, answers with
 * an error or breaks the connection. Routes ask `answersNow` whether a rule taken from the
 * FaultEngine decides the answer before the request is processed; the others (a reset after the
 * body, a 5xx after the messages were accepted) are applied with `applyAfter` once it was.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountLimitPool } from './account-limits';
import type { EmulatorContext } from './context';
import { drain, sendJson, sleep } from './http';
import type { ActiveFault, RequestRecord } from './types';

/** The real rate limit's 429s are recorded as rule 0. */
export const RATE_LIMIT_RULE = { id: 0, kind: 'rate_limit' } as const;

type Rule = ActiveFault | typeof RATE_LIMIT_RULE;

/** How errors are shaped: the sending hosts' `{ success, errors: [] }` or the account API's. */
export type ErrorShape = 'sending' | 'account';

export function recordFault(
  emulator: EmulatorContext,
  rule: Rule,
  record: RequestRecord,
  status: number | undefined,
  extra: { items?: number[] } = {},
): void {
  record.fault = rule.kind;
  emulator.faults.record({
    faultId: rule.id,
    kind: rule.kind,
    requestId: record.id,
    time: new Date().toISOString(),
    path: record.path,
    stream: record.stream,
    status,
    acceptedMessageIds: record.acceptedMessageIds,
    ...extra,
  });
}

/** Delays the request by the latency rules that fired (recorded like every fault). */
export async function applyLatency(
  emulator: EmulatorContext,
  rules: ActiveFault[],
  record: RequestRecord,
): Promise<void> {
  if (rules.length === 0) return;
  let delay = 0;
  for (const rule of rules) {
    recordFault(emulator, rule, record, undefined);
    delay += rule.delayMs ?? 0;
  }
  await sleep(delay);
}

/** Whether the rule answers before the request is processed (every kind but the "after" ones). */
export function answersNow(rule: ActiveFault | undefined): boolean {
  return (
    rule !== undefined &&
    rule.kind !== 'batch_item_failure' &&
    rule.kind !== 'reset_after_body' &&
    !(rule.kind === 'server_error' && rule.accepted)
  );
}

/** Records the fault, closes the record without a status and breaks the connection. */
export function breakConnection(
  emulator: EmulatorContext,
  rule: Rule,
  request: IncomingMessage,
  record: RequestRecord,
  started: number,
): void {
  recordFault(emulator, rule, record, undefined);
  emulator.finish(record, started, undefined);
  request.socket.destroy();
}

/** Answers (or breaks) the request according to a request-level fault. */
export function applyFault(
  emulator: EmulatorContext,
  rule: ActiveFault,
  request: IncomingMessage,
  response: ServerResponse,
  record: RequestRecord,
  started: number,
  shape: ErrorShape,
): void {
  switch (rule.kind) {
    case 'rate_limit': {
      const headers: Record<string, string> = {};
      if (rule.retryAfter !== undefined) headers['retry-after'] = rule.retryAfter;
      else if (rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
      record.errors = ['Rate limit exceeded'];
      recordFault(emulator, rule, record, 429);
      emulator.finish(record, started, 429);
      drain(request);
      sendJson(
        response,
        429,
        shape === 'account'
          ? { errors: 'Rate limit exceeded' }
          : { success: false, errors: ['Rate limit exceeded'] },
        headers,
      );
      return;
    }
    case 'server_error': {
      const status = rule.status ?? 500;
      const message =
        status === 500 ? 'Internal server error' : status === 502 ? 'Bad Gateway' : 'Service Unavailable';
      record.errors = [message];
      recordFault(emulator, rule, record, status);
      emulator.finish(record, started, status);
      drain(request);
      sendJson(
        response,
        status,
        shape === 'account' ? { error: message } : { success: false, errors: [message] },
      );
      return;
    }
    case 'reset_before_body':
    case 'reset_after_body':
      breakConnection(emulator, rule, request, record, started);
      return;
    case 'hang': {
      recordFault(emulator, rule, record, undefined);
      emulator.finish(record, started, undefined);
      drain(request);
      if (rule.delayMs !== undefined) {
        const timer = setTimeout(() => request.socket.destroy(), rule.delayMs);
        request.socket.once('close', () => clearTimeout(timer));
      }
      return;
    }
    default:
      return;
  }
}

/** Records the items of a batch that item rules failed, one record per rule. */
export function recordItemFaults(
  emulator: EmulatorContext,
  record: RequestRecord,
  status: number,
  items: Array<{ rule: ActiveFault; index: number }>,
): void {
  const byRule = new Map<ActiveFault, number[]>();
  for (const { rule, index } of items) {
    const list = byRule.get(rule) ?? [];
    list.push(index);
    byRule.set(rule, list);
  }
  for (const [rule, indexes] of byRule) recordFault(emulator, rule, record, status, { items: indexes });
}

/** The real rate limit: the wait in ms when the token is over it (the 429 is recorded), else 0. */
export function rateLimited(emulator: EmulatorContext, tokenKey: string, record: RequestRecord): number {
  const wait = emulator.faults.rateLimitWait(tokenKey, Date.now());
  if (wait > 0) recordFault(emulator, RATE_LIMIT_RULE, record, 429);
  return wait;
}

/**
 * Mailtrap's per-account limit of the request's pool (Email Logs, stats, suppressions, contacts),
 * while the rate limit is on: 0 when it may pass, else the ms to wait (the 429 is recorded).
 */
export function accountLimited(
  emulator: EmulatorContext,
  method: string,
  path: string,
  record: RequestRecord,
): number {
  const pool = accountLimitPool(method, path);
  if (!pool) return 0;
  const wait = emulator.accountLimits.wait(emulator.faults.currentRateLimit(), pool, Date.now());
  if (wait > 0) recordFault(emulator, RATE_LIMIT_RULE, record, 429);
  return wait;
}
