import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressTracker } from './progress';

describe('ProgressTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** 100 recipients sent every 100 ms for `seconds`: 1,000 a second. */
  function sendSteadily(tracker: ProgressTracker, seconds: number): void {
    for (let step = 0; step < seconds * 10; step += 1) {
      for (let index = 0; index < 100; index += 1) tracker.count('sent', false, false);
      vi.advanceTimersByTime(100);
    }
  }

  it('gives the rate of recipients this run finishes', () => {
    const tracker = new ProgressTracker(250);
    sendSteadily(tracker, 5);
    expect(tracker.snapshot().recipientsPerSecond).toBeGreaterThan(900);
    expect(tracker.snapshot().recipientsPerSecond).toBeLessThanOrEqual(1000);
  });

  it('leaves the recipients a resume knows from the journal out of the rate and the ETA, not out of the counts', () => {
    const tracker = new ProgressTracker(250);
    tracker.total = 50_000;
    // a resume meets 12,000 recipients already sent in the journal in its first second, batch by
    // batch, between its first requests
    for (let step = 0; step < 10; step += 1) {
      for (let index = 0; index < 1_200; index += 1) tracker.count('sent', false, true);
      for (let index = 0; index < 100; index += 1) tracker.count('sent', false, false);
      vi.advanceTimersByTime(100);
    }
    sendSteadily(tracker, 4);
    const progress = tracker.snapshot();
    expect(progress.finished).toBe(17_000);
    expect(progress.resumed).toBe(12_000);
    expect(progress.recipientsPerSecond).toBeGreaterThan(900);
    expect(progress.recipientsPerSecond).toBeLessThanOrEqual(1000);
    // 33,000 left at about 1,000 a second
    expect(progress.etaMs).toBeGreaterThan(32_000);
    expect(progress.etaMs).toBeLessThan(37_000);
  });
});
