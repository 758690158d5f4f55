import { abortError } from './delay';
import { AttemptError } from './transport';
import {
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapNetworkError,
  MailtrapTimeoutError,
} from './errors';

/** Failures known to have happened before any byte of the request left. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/**
 * Connect failures as fetch runtimes word them where they give no `code`: Deno's (hyper's
 * "client error (Connect)": TCP refused, DNS, TLS handshake) and the fetch standard's blocked ports.
 * Nothing of the request can have left.
 */
const notSentMessage =
  /client error \(Connect\)|tcp connect error|dns error|Requests to port \d+ are blocked/;

/**
 * Deno refusing the connection itself (`--allow-net` without the host): `Deno.errors.NotCapable`
 * (`PermissionDenied` before Deno 2), worded `Requires net access to "127.0.0.1:4025", run again
 * with the --allow-net flag`. fetch throws it before opening anything: nothing left, and a retry
 * meets the same refusal.
 */
const netPermissionNames = new Set(['NotCapable', 'PermissionDenied']);
const netPermissionMessage = /Requires net access to "([^"]+)"/;

/** What the mapping needs to know about the attempt that failed. @internal */
export interface FailedAttempt {
  /** `POST https://send.api.mailtrap.io/api/send`, without the query. */
  where: string;
  idempotent: boolean;
  signal: AbortSignal | undefined;
  /** The error a streamed body raised (a size limit), which explains the failure better. */
  streamError: unknown;
  /** True when the per-attempt timeout was cut short by the total timeout. */
  totalBound: boolean;
  timeoutMs: number;
  totalTimeoutMs: number;
}

/**
 * Turns a failure without an HTTP answer (undici's error, the attempt's timeout, the caller's
 * abort) into the typed error: not sent (connect failures: retryable) or maybe sent (after the body
 * began to leave: `maybeSent` for non-idempotent requests). @internal
 */
export function transportFailure(error: unknown, attempt: FailedAttempt): MailtrapError {
  const { where } = attempt;
  if (attempt.streamError !== undefined) return attempt.streamError as MailtrapError;
  if (MailtrapError.isInstance(error)) return error;
  const cancelled = error instanceof AttemptError ? error.cancelled : undefined;
  const started = error instanceof AttemptError ? error.started : true;
  const cause = error instanceof AttemptError ? error.cause : error;
  if (cancelled === 'aborted' || attempt.signal?.aborted) return abortError(attempt.signal!, started, cause);
  const deniedHost = netPermissionDenied(cause);
  if (deniedHost !== undefined) {
    return new MailtrapConfigurationError(
      `The runtime refused net access to ${deniedHost} for ${where}; nothing was sent. Allow the host: run Deno with --allow-net=${deniedHost} (beside the other hosts it may reach)`,
      { cause, retryable: false, maybeSent: false },
    );
  }
  const code = errorCode(cause);
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
    return new MailtrapConfigurationError(
      `The dispatcher is closed or destroyed; ${where} was not sent (was the client or its dispatcher closed?)`,
      { cause },
    );
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') {
    return new MailtrapConfigurationError(
      `The request to ${where} was refused by the dispatcher: ${(cause as Error).message}`,
      { cause },
    );
  }
  const connectMessage = code === undefined ? messageMatching(cause, notSentMessage) : undefined;
  if (!started || (code !== undefined && notSentCodes.has(code)) || connectMessage !== undefined) {
    // The request had not begun to be written: it cannot have reached the server.
    const timeout = cancelled === 'timeout' || code === 'UND_ERR_CONNECT_TIMEOUT';
    const reason =
      cancelled === 'timeout'
        ? `no connection within ${attempt.totalBound ? 'totalTimeoutMs' : 'timeoutMs'}`
        : (code ?? connectMessage ?? (cause instanceof Error ? cause.message : String(cause)));
    const message = `${timeout ? 'Connect timeout' : 'Could not connect'} for ${where} (${reason}); nothing was sent`;
    return timeout
      ? new MailtrapTimeoutError(message, { retryable: !attempt.totalBound, maybeSent: false, cause })
      : new MailtrapNetworkError(message, { retryable: true, maybeSent: false, cause });
  }
  const idempotent = attempt.idempotent;
  const ambiguity = idempotent
    ? ''
    : '; the request may have been accepted (not retried by default: a retry could send it twice)';
  if (cancelled === 'timeout' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    const which = attempt.totalBound
      ? `totalTimeoutMs (${attempt.totalTimeoutMs} ms)`
      : `timeoutMs (${attempt.timeoutMs} ms per attempt)`;
    return new MailtrapTimeoutError(`No complete answer from ${where} within ${which}${ambiguity}`, {
      retryable: idempotent && !attempt.totalBound,
      maybeSent: !idempotent,
      cause,
    });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MailtrapNetworkError(
    `Request to ${where} failed: ${reason}${code ? ` (${code})` : ''}${ambiguity}`,
    {
      retryable: idempotent,
      maybeSent: !idempotent,
      cause,
    },
  );
}

/** The host a runtime's net permission refused, from the first such error in the cause chain. */
function netPermissionDenied(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { name, message } = current as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && netPermissionNames.has(name) && typeof message === 'string') {
      const host = netPermissionMessage.exec(message)?.[1];
      if (host !== undefined) return host;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The first message in an error's cause chain that matches `pattern`. */
function messageMatching(error: unknown, pattern: RegExp): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && pattern.test(message)) return message;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The first meaningful `code` in an error's cause chain (AggregateError: its first error). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      // AggregateError (happy eyeballs): take the first
      const inner = errorCode(errors[0]);
      if (inner) return inner;
    }
    const next = (current as { cause?: unknown }).cause;
    if (next === undefined) return typeof code === 'string' ? code : undefined;
    current = next;
  }
  return undefined;
}
