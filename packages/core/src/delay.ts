import { MailtrapAbortError } from './errors';

/** The error of a call the caller aborted; `maybeSent` tells whether the request may have left. @internal */
export function abortError(signal: AbortSignal, maybeSent: boolean, cause?: unknown): MailtrapAbortError {
  return new MailtrapAbortError(
    maybeSent
      ? 'The request was aborted by the caller; it may have been accepted'
      : 'The request was aborted by the caller before it was sent',
    { maybeSent, cause: signal.reason ?? cause },
  );
}

/**
 * Waits `ms` milliseconds. Rejects with a {@link MailtrapAbortError} (its `cause` is the signal's
 * reason) as soon as `signal` aborts, or at once when it already has. The timer keeps the process
 * alive, like any pending work.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, false));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!, false));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
