import { exampleFor, findResponse } from './examples.js';
import { findOperation, type SpecOperation } from './operations.js';

/** What the spec server sends back for one call. */
export interface PlannedAnswer {
  status: number;
  contentType?: string;
  body: unknown;
  headers?: Record<string, string>;
}

export interface AnswerOptions {
  /** The body to send instead of the spec's example for that status. */
  body?: unknown;
  /** Extra response headers (e.g. `retry-after` with a 429). */
  headers?: Record<string, string>;
  /** How many calls get this answer (default 1). */
  times?: number;
}

interface Queued {
  key: string;
  answer: PlannedAnswer;
  remaining: number;
}

/**
 * The answers a test asked for ahead of time (`answerNext('getDomain', 404)`), then the spec's
 * success example, then a test's own success bodies for operations whose spec gives no example.
 */
export class AnswerPlan {
  private readonly queue: Queued[] = [];
  private readonly successBodies = new Map<string, unknown>();

  constructor(successBodies: Record<string, unknown> = {}) {
    for (const [ref, body] of Object.entries(successBodies))
      this.successBodies.set(findOperation(ref).key, body);
  }

  /** Queues the spec's answer for `status` (its example, or `options.body`) for the next call(s). */
  answerNext(ref: string, status: number, options: AnswerOptions = {}): void {
    const operation = findOperation(ref);
    const response = findResponse(operation, status);
    if (!response && options.body === undefined) {
      const listed = operation.responses.map((answer) => answer.status).join(', ');
      throw new Error(
        `${operation.key} has no ${status} answer in the spec (it lists ${listed}); pass options.body`,
      );
    }
    let answer: PlannedAnswer;
    if (options.body !== undefined) {
      answer = {
        status,
        contentType: response?.content?.contentType ?? 'application/json',
        body: options.body,
      };
    } else {
      const example = exampleFor(operation, status);
      if (!example)
        throw new Error(
          `the spec gives no example for the ${status} answer of ${operation.key}; pass options.body`,
        );
      answer = { status, contentType: example.contentType, body: example.body };
    }
    if (options.headers) answer.headers = options.headers;
    this.queue.push({ key: operation.key, answer, remaining: options.times ?? 1 });
  }

  /** The answer for a call of `operation`: a queued one, else the success example (undefined: none). */
  next(operation: SpecOperation): PlannedAnswer | undefined {
    const index = this.queue.findIndex((entry) => entry.key === operation.key);
    if (index >= 0) {
      const entry = this.queue[index]!;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.queue.splice(index, 1);
      return entry.answer;
    }
    const status = Number(operation.success.status);
    if (this.successBodies.has(operation.key)) {
      return {
        status,
        contentType: operation.success.content?.contentType,
        body: this.successBodies.get(operation.key),
      };
    }
    const example = exampleFor(operation);
    return example && { status: example.status, contentType: example.contentType, body: example.body };
  }

  /** Queued answers no call has used yet (a test that asked for one and never triggered it). */
  pending(): string[] {
    return this.queue.map((entry) => `${entry.key} → ${entry.answer.status} (${entry.remaining} left)`);
  }

  clear(): void {
    this.queue.length = 0;
  }
}
