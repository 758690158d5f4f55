import { delay } from '@mailtrap-kit/core';
/** Share of the rate-limit window kept free so arrival jitter does not trip the server's limit. */
export const RATE_LIMIT_MARGIN = 0.015;

/**
 * When requests may leave: at most `concurrency` at once, evenly spaced under the rate limit (with a
 * 1.5% margin) when `rateLimit` is given, and at most `concurrency + readyBatches` batches held in memory.
 * Requests leave evenly spaced rather than in bursts: a burst reaches the server at once, is
 * timestamped as the server gets to each request, and the burst a window later, sent on time, would
 * find some of those timestamps still in the window.
 */
export class Scheduler {
  private active = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly spacingMs: number;
  private nextRequestAt = 0;
  /** Under a rate limit: when the next batch may be packed (see `room`). */
  private nextPackAt = 0;
  private readonly running = new Set<Promise<void>>();
  private probing = false;
  private openGate: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => {
    this.openGate = resolve;
  });

  constructor(
    private readonly concurrency: number,
    rateLimit: { requests: number; windowMs: number } | undefined,
    private readonly signal: AbortSignal,
    private readonly readyBatches = 2,
  ) {
    this.spacingMs = rateLimit ? (rateLimit.windowMs * (1 + RATE_LIMIT_MARGIN)) / rateLimit.requests : 0;
  }

  /**
   * Waits for a request slot and its moment; returns the release, or undefined when stopped. The
   * first request goes alone: the others wait for its answer (`open`), so a refusal that would refuse
   * every recipient (a bad token, an unverified sender) costs one request, not `concurrency`.
   */
  async acquire(): Promise<(() => void) | undefined> {
    if (this.probing) await this.gate;
    else this.probing = true;
    while (this.active >= this.concurrency)
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    this.active += 1;
    const release = () => {
      this.active -= 1;
      this.slotWaiters.shift()?.();
    };
    if (this.spacingMs > 0) {
      const now = Date.now();
      const at = Math.max(now, this.nextRequestAt);
      this.nextRequestAt = at + this.spacingMs;
      if (at > now) await delay(at - now, this.signal).catch(() => undefined);
    }
    if (this.signal.aborted) {
      release();
      return undefined;
    }
    return release;
  }

  /** The first request answered (or the run stopped): the others may go. */
  open(): void {
    this.openGate();
  }

  /**
   * Waits until another batch may be held (back-pressure on the packer). Under a rate limit also
   * until one slot before the batch's moment: batches come one slot apart, each packed about one slot
   * ahead of its request, so its messages live a slot or two, not `concurrency + readyBatches` slots
   * (held longer, most of them would outlive young-generation collections and be promoted, to be
   * collected later by full ones: more memory and more CPU for the same campaign).
   */
  async room(): Promise<void> {
    while (this.running.size >= this.concurrency + this.readyBatches) await Promise.race(this.running);
    if (this.spacingMs <= 0) return;
    const now = Date.now();
    // On a fixed grid (a batch packed late does not delay the next), without credit for a pause.
    const at = Math.max(this.nextPackAt, now - this.spacingMs);
    this.nextPackAt = at + this.spacingMs;
    if (at > now) await delay(at - now, this.signal).catch(() => undefined);
  }

  /** Tracks the work of one batch. */
  launch(work: Promise<void>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Waits for every batch launched. */
  async idle(): Promise<void> {
    await Promise.all(this.running);
  }
}
