import { describe, expect, it } from 'vitest';
import { delay } from './delay';
import { MailtrapAbortError } from './errors';

describe('delay', () => {
  it('resolves after the given time', async () => {
    const started = performance.now();
    await delay(40);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('rejects with MailtrapAbortError carrying the reason when the signal aborts while waiting', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = delay(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    const error = await waiting.catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect((error as MailtrapAbortError).code).toBe('aborted');
    expect((error as MailtrapAbortError).maybeSent).toBe(false);
    expect(((error as MailtrapAbortError).cause as Error).message).toBe('stop');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('rejects at once with an already aborted signal', async () => {
    await expect(delay(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(MailtrapAbortError);
  });

  it('removes its abort listener once it resolved', async () => {
    const controller = new AbortController();
    await delay(1, controller.signal);
    // An abort after the wait ended must not reject anything or throw.
    controller.abort();
    expect(controller.signal.aborted).toBe(true);
  });
});
