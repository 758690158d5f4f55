import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Scheduler.room under a rate limit', () => {
  it('lets batches be packed one slot apart, on a fixed grid, without credit for a pause', async () => {
    // 10 requests per 500 ms: one slot every 50.75 ms (1.5% margin)
    const scheduler = new Scheduler(4, { requests: 10, windowMs: 500 }, new AbortController().signal);
    const times: number[] = [];
    const started = performance.now();
    for (let index = 0; index < 4; index += 1) {
      await scheduler.room();
      times.push(performance.now() - started);
    }
    // one slot ahead: the first two at once (the second waits for its request slot instead), then
    // one per slot
    expect(times[1]).toBeLessThan(40);
    for (let index = 2; index < times.length; index += 1)
      expect(times[index]! - times[1]!).toBeGreaterThanOrEqual((index - 1) * 50.75 - 2);

    // after a pause of several slots: one slot of credit, then paced again
    await sleep(300);
    const resumed = performance.now();
    await scheduler.room();
    await scheduler.room();
    const two = performance.now() - resumed;
    await scheduler.room();
    const three = performance.now() - resumed;
    expect(three - two).toBeGreaterThanOrEqual(45);
  });

  it('does not pace without a rate limit', async () => {
    const scheduler = new Scheduler(4, undefined, new AbortController().signal);
    const started = performance.now();
    for (let index = 0; index < 20; index += 1) await scheduler.room();
    expect(performance.now() - started).toBeLessThan(200);
  });
});
