import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitReserveOptions, RateLimitStore } from '../types';

/** Options of {@link describeRateLimitStore}. */
export interface RateLimitStoreSuiteOptions {
  /**
   * The most the store adds to a window (its safety margin), in ms: the bound of how late a slot may
   * come. Default 250.
   */
  safetyMarginMs?: number;
  /** Called once after the suite, e.g. to close a connection the store uses. */
  close?: (store: RateLimitStore) => void | Promise<void>;
}

/** Scheduling slack for a busy machine (timers, a Redis round trip), in ms. */
const slackMs = 400;

/**
 * The contract every {@link RateLimitStore} meets, as a vitest suite: run it in a test file with the
 * store to check (`describeRateLimitStore('redis', () => createRedisRateLimitStore(redis))`).
 *
 * A store may wait inside `reserve` (and resolve with 0 when the slot is due) or resolve at once
 * with the milliseconds to wait: the suite takes the moment a request would go as the time `reserve`
 * resolved plus the wait it resolved with, the way the client does. Every test uses keys of its own,
 * so a store shared with other data (a Redis database) is fine.
 */
export function describeRateLimitStore(
  name: string,
  createStore: () => RateLimitStore | Promise<RateLimitStore>,
  options: RateLimitStoreSuiteOptions = {},
): void {
  const marginMs = options.safetyMarginMs ?? 250;
  describe(`RateLimitStore contract: ${name}`, () => {
    let store: RateLimitStore;
    beforeAll(async () => {
      store = await createStore();
    });
    afterAll(async () => {
      if (store && options.close) await options.close(store);
    });

    const key = () => `contract:${randomUUID()}`;
    /** When the request would go (epoch ms): resolved time plus the wait the store answered. */
    const goesAt = async (
      forKey: string,
      limit: { requests: number; windowMs: number },
      reserveOptions?: RateLimitReserveOptions,
    ): Promise<number> => {
      const wait = await store.reserve(forKey, limit, reserveOptions);
      expect(typeof wait).toBe('number');
      expect(Number.isFinite(wait)).toBe(true);
      expect(wait).toBeGreaterThanOrEqual(0);
      return Date.now() + wait;
    };

    it('lets the first `requests` reservations of a fresh key go within one window', async () => {
      const limit = { requests: 3, windowMs: 600 };
      const forKey = key();
      const started = Date.now();
      const times = await Promise.all([1, 2, 3].map(() => goesAt(forKey, limit)));
      for (const time of times) expect(time - started).toBeLessThanOrEqual(limit.windowMs + slackMs);
    });

    it('never lets more than `requests` reservations into any window, and keeps going', async () => {
      const limit = { requests: 3, windowMs: 300 };
      const forKey = key();
      const started = Date.now();
      const times = (await Promise.all(Array.from({ length: 9 }, () => goesAt(forKey, limit)))).sort(
        (a, b) => a - b,
      );
      for (let index = 0; index + limit.requests < times.length; index++) {
        // Four requests inside one window would draw a 429 from a strict server.
        expect(times[index + limit.requests]! - times[index]!).toBeGreaterThanOrEqual(limit.windowMs - 2);
      }
      // Nine requests at three per window need three windows (plus the margins), not more.
      expect(times[times.length - 1]! - started).toBeLessThanOrEqual(
        3 * (limit.windowMs + marginMs) + slackMs,
      );
    });

    it('keeps keys apart: a full key does not delay another', async () => {
      const limit = { requests: 1, windowMs: 5_000 };
      const full = key();
      await goesAt(full, limit);
      const started = Date.now();
      const other = await goesAt(key(), limit);
      expect(other - started).toBeLessThan(slackMs);
    });

    it('rejects an already aborted signal without taking a slot', async () => {
      const limit = { requests: 1, windowMs: 5_000 };
      const forKey = key();
      const reason = new Error('caller gave up');
      await expect(store.reserve(forKey, limit, { signal: AbortSignal.abort(reason) })).rejects.toBeDefined();
      const started = Date.now();
      // Had the aborted call taken the slot, this one would wait a whole window.
      expect((await goesAt(forKey, limit)) - started).toBeLessThan(slackMs);
    });

    it('does not let a caller that aborted while waiting delay the next one', async () => {
      const limit = { requests: 1, windowMs: 800 };
      const forKey = key();
      const started = Date.now();
      await goesAt(forKey, limit);
      const controller = new AbortController();
      const waiting = store.reserve(forKey, limit, { signal: controller.signal }).then(
        (wait) => ({ wait }),
        (error: unknown) => ({ error }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort(new Error('caller gave up'));
      await waiting; // a store waiting inside rejects; one answering a wait gives the slot back
      const next = await goesAt(forKey, limit);
      // The next caller gets the slot the aborted one left, not the one after it.
      expect(next - started).toBeGreaterThanOrEqual(limit.windowMs - 2);
      expect(next - started).toBeLessThan(2 * limit.windowMs);
    });

    it('takes no slot it cannot give before the deadline', async () => {
      const limit = { requests: 1, windowMs: 800 };
      const forKey = key();
      const started = Date.now();
      await goesAt(forKey, limit);
      const deadline = Date.now() + 100;
      const outcome = await store.reserve(forKey, limit, { deadline }).then(
        (wait) => ({ wait, at: Date.now() }),
        (error: unknown) => ({ error, at: Date.now() }),
      );
      // It answers by about the deadline: a wait that reaches past it, or a rejection.
      expect(outcome.at).toBeLessThan(deadline + slackMs);
      if ('wait' in outcome) expect(outcome.at + outcome.wait).toBeGreaterThanOrEqual(deadline);
      const next = await goesAt(forKey, limit);
      expect(next - started).toBeGreaterThanOrEqual(limit.windowMs - 2);
      expect(next - started).toBeLessThan(2 * limit.windowMs);
    });
  });
}
