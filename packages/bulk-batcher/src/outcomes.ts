import { buildBatchRequest, isSendable, type PackedBatch, type PackedItem } from './packer';
import type { BatchSendingClient, BatchSendResult } from './wire';

/**
 * The final state of a recipient, the same words in results, journal, status and both CLIs:
 * `sent` (accepted, with its message id), `failed` (refused for good, with the reason),
 * `uncertain` (the request may or may not have been accepted) and `unsent` (proven not accepted:
 * the error or Email Logs shows it never was, so sending it again cannot send it twice).
 */
export type RecipientStatus = 'sent' | 'failed' | 'uncertain' | 'unsent';

/**
 * What one attempt did to one item: a final state, or `retry` — known NOT to have been sent
 * (429, connection refused, a retryable per-item error), so it may be sent again.
 */
export interface ItemOutcome {
  sequence: number;
  offset: number;
  email: string;
  status: RecipientStatus | 'retry';
  messageId?: string;
  error?: string;
}

/**
 * Why a run stops after a batch: a refusal that will refuse every recipient. `authentication` (401),
 * `permission` (403), `refused` (every message of the batch refused for the sender or the template:
 * an unverified domain, an unknown template), `unreachable` (DNS has no such host, or the host refused
 * every connection). The batch's items are `retry`: nothing was accepted, a resume sends them.
 */
export interface StopReason {
  code: 'authentication' | 'permission' | 'refused' | 'unreachable' | 'journal_mismatch';
  message: string;
}

export interface BatchAttemptResult {
  outcomes: ItemOutcome[];
  /** Set when the whole run must stop (see {@link StopReason}): the batch's items are `retry` (not sent). */
  fatal?: StopReason;
  /** The request never reached a server (DNS, refused connection): nothing was sent. */
  unreachable?: boolean;
  /** The server's Retry-After, when it gave one. */
  retryAfterMs?: number;
}

/** Shape of core's `MailtrapError` fields this package reads (duck-typed: works across package copies). */
interface ErrorLike {
  code?: unknown;
  status?: unknown;
  errors?: unknown;
  retryable?: unknown;
  maybeSent?: unknown;
  retryAfterMs?: unknown;
  message?: unknown;
}

const retryableItemPattern =
  /rate limit|too many requests|throttl|temporar|try again|timed? ?out|unavailable/i;

/**
 * True when an item error inside a 200 batch answer means "not sent, may be sent again":
 * the messages speak of a rate limit, throttling or a temporary condition. Everything else
 * (validation, suppressed, forbidden) is a permanent failure.
 */
export function isRetryableItemError(errors: readonly string[]): boolean {
  return errors.some((message) => retryableItemPattern.test(message));
}

/** Item errors that will refuse every message of the campaign, not just this recipient. */
const campaignRefusalPattern =
  /not verified|unverified|forbidden|unauthori[sz]ed|does not match any template|template (was )?not found|unknown template|invalid api token/i;

/** DNS answers that say the host does not exist: every request of the run would fail the same way. */
const noSuchHostCodes = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_FAIL']);
const unreachableCodes = new Set([
  ...noSuchHostCodes,
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeCode(error: unknown): string | undefined {
  let current = (error as { cause?: unknown })?.cause;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * When every item of an answer was refused for a reason that will refuse every recipient (the
 * sender's domain, the template), the run must stop: the items become `retry` (nothing was accepted)
 * and the reason is returned. A batch with mixed or recipient-specific errors is left as it is.
 */
export function campaignRefusal(outcomes: ItemOutcome[]): StopReason | undefined {
  if (outcomes.length === 0) return undefined;
  for (const outcome of outcomes)
    if (outcome.status !== 'failed' || !campaignRefusalPattern.test(outcome.error ?? '')) return undefined;
  for (const outcome of outcomes) outcome.status = 'retry';
  return { code: 'refused', message: outcomes[0]!.error ?? 'refused' };
}

function errorText(errors: unknown, fallback: string): string {
  if (Array.isArray(errors) && errors.length > 0) return errors.map(String).join('; ');
  return fallback;
}

/**
 * Turns a batch answer (HTTP 200) into one outcome per item given, by position:
 * success → `sent` with message_ids[0]; item failure → `failed` with its errors, or `retry` when
 * the errors are retryable (see `isRetryableItemError`); an item the answer has no entry for →
 * `uncertain`. A top-level `success: false` without per-item answers fails every item with the
 * top-level errors (or retries them when those speak of a rate limit).
 */
export function classifyBatchResponse(
  items: readonly PackedItem[],
  response: BatchSendResult,
): ItemOutcome[] {
  const responses = Array.isArray(response?.responses) ? response.responses : [];
  const topErrors = Array.isArray(response?.errors) ? response.errors.map(String) : [];
  const outcomes: ItemOutcome[] = new Array(items.length);
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index]!;
    const answer = responses[index];
    // One literal per outcome (no spread of a shared part): a million outcomes are built per million recipients.
    if (answer?.success === true) {
      const messageId = Array.isArray(answer.message_ids) ? answer.message_ids[0] : undefined;
      outcomes[index] = messageId
        ? { sequence: item.sequence, offset: item.offset, email: item.email, status: 'sent', messageId }
        : { sequence: item.sequence, offset: item.offset, email: item.email, status: 'sent' };
      continue;
    }
    let status: ItemOutcome['status'];
    let error: string;
    if (!answer) {
      if (responses.length === 0 && response?.success === false) {
        status = isRetryableItemError(topErrors) ? 'retry' : 'failed';
        error = errorText(topErrors, 'the batch was refused without a reason');
      } else {
        status = 'uncertain';
        error = 'the batch answer has no entry for this message';
      }
    } else {
      const errors = Array.isArray(answer.errors) ? answer.errors.map(String) : [];
      status = isRetryableItemError(errors) ? 'retry' : 'failed';
      error = errorText(errors, 'the message was refused without a reason');
    }
    outcomes[index] = { sequence: item.sequence, offset: item.offset, email: item.email, status, error };
  }
  return outcomes;
}

/**
 * Turns an error thrown by `batchSend` into one outcome per item, by core's error fields:
 * `maybeSent` (5xx, timeout or reset after the body left, an abort mid-request) → `uncertain`;
 * 401/403 (`authentication` / `permission`) → `retry` plus `fatal` (the run must stop; nothing was sent);
 * `retryable` (429, connection refused, a request that never left) → `retry`;
 * anything else with a status or code (400, 413, validation) → `failed` with the server's messages.
 * An error that is not a MailtrapError (unknown fate) → `uncertain`.
 */
export function classifyBatchError(items: readonly PackedItem[], error: unknown): BatchAttemptResult {
  const like = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const code = typeof like.code === 'string' ? like.code : undefined;
  const message = errorText(like.errors, typeof like.message === 'string' ? like.message : String(error));
  const retryAfterMs = typeof like.retryAfterMs === 'number' ? like.retryAfterMs : undefined;
  const known = code !== undefined && typeof like.retryable === 'boolean';
  let status: ItemOutcome['status'];
  let fatal: BatchAttemptResult['fatal'];
  if (!known || like.maybeSent === true) status = 'uncertain';
  else if (code === 'authentication' || code === 'permission') {
    status = 'retry';
    fatal = { code, message };
  } else if (code === 'aborted') status = 'retry';
  else if (like.retryable === true && unreachableCodes.has(causeCode(error) ?? '')) {
    status = 'retry';
    if (noSuchHostCodes.has(causeCode(error)!)) fatal = { code: 'unreachable', message };
  } else if (like.retryable === true) status = 'retry';
  else status = 'failed';
  const detail = typeof like.status === 'number' ? `${like.status} ${message}` : message;
  const outcomes = items.map((item) => ({
    sequence: item.sequence,
    offset: item.offset,
    email: item.email,
    status,
    error: detail,
  }));
  const result: BatchAttemptResult = { outcomes };
  if (fatal) result.fatal = fatal;
  if (status === 'retry' && unreachableCodes.has(causeCode(error) ?? '')) result.unreachable = true;
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

export interface SendPackedBatchOptions {
  /** Which items to send (default: every sendable item of the batch). */
  items?: PackedItem[];
  signal?: AbortSignal;
  /**
   * The messages were checked by `packRecipients` (or its settings' equivalent): core checks only
   * the batch limits, not each message again. Default true; pass false for messages built elsewhere.
   */
  validated?: boolean;
}

/**
 * Sends one packed batch (or some of its items) and returns one outcome per item sent, by the rules
 * of `classifyBatchResponse` / `classifyBatchError`. Messages serialized by the packer go as they are
 * through `client.batchSendJson` when the client has it (core's does), else through
 * `client.batchSend`. Never throws for a sending failure. Rejected items are not sent and not
 * included; report them as `failed` yourself.
 */
export async function sendPackedBatch(
  client: BatchSendingClient,
  batch: PackedBatch,
  options: SendPackedBatchOptions = {},
): Promise<BatchAttemptResult> {
  const items = options.items ?? batch.items.filter(isSendable);
  if (items.length === 0) return { outcomes: [] };
  const validated = options.validated ?? true;
  const signal = options.signal ? { signal: options.signal } : {};
  let response: BatchSendResult;
  try {
    if (
      validated &&
      typeof client.batchSendJson === 'function' &&
      items.every((item) => item.json !== undefined)
    ) {
      const requests = new Array<string>(items.length);
      for (let index = 0; index < items.length; index += 1) requests[index] = items[index]!.json!;
      response = await client.batchSendJson({ base: batch.base, requests }, signal);
    } else {
      // The packer validated every message already: a second pass in core would cost as much again.
      response = await client.batchSend(buildBatchRequest(batch, items), { validated, ...signal });
    }
  } catch (error) {
    return classifyBatchError(items, error);
  }
  const outcomes = classifyBatchResponse(items, response);
  const refusal = campaignRefusal(outcomes);
  return refusal ? { outcomes, fatal: refusal } : { outcomes };
}
