import { checkAccountLimits } from './account-limits';
import { takeSlot } from './sliding-window';
import type {
  ActiveFault,
  FaultController,
  FaultKind,
  FaultOptions,
  FaultRecord,
  MailtrapStream,
  RateLimitSettings,
} from './types';

const KINDS = new Set<FaultKind>([
  'rate_limit',
  'server_error',
  'hang',
  'latency',
  'reset_before_body',
  'reset_after_body',
  'batch_item_failure',
]);

export interface FaultContext {
  kind: 'send' | 'batch' | 'account';
  stream?: MailtrapStream;
  /** Lower-cased recipients of the whole request (undefined before the body was read). */
  recipients?: Set<string>;
}

interface Rule extends ActiveFault {
  seen: number;
  limit: number;
  recipientLower?: string;
}

/** Validates fault options; throws a TypeError naming the field. */
export function checkFaultOptions(options: FaultOptions): void {
  if (!options || typeof options !== 'object') throw new TypeError('fault: options must be an object');
  if (!KINDS.has(options.kind)) {
    throw new TypeError(
      `fault: 'kind' must be one of ${[...KINDS].join(', ')} (got ${String(options.kind)})`,
    );
  }
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count > 0)) {
    throw new TypeError("fault: 'count' must be a positive integer");
  }
  if (
    options.share !== undefined &&
    !(typeof options.share === 'number' && options.share > 0 && options.share <= 1)
  ) {
    throw new TypeError("fault: 'share' must be a number in (0, 1]");
  }
  if (options.status !== undefined && ![500, 502, 503].includes(options.status)) {
    throw new TypeError("fault: 'status' must be 500, 502 or 503");
  }
  if (options.retryAfterSeconds !== undefined && !(options.retryAfterSeconds >= 0)) {
    throw new TypeError("fault: 'retryAfterSeconds' must be a number >= 0");
  }
  if (options.delayMs !== undefined && !(options.delayMs >= 0)) {
    throw new TypeError("fault: 'delayMs' must be a number >= 0");
  }
  if (options.kind === 'latency' && options.delayMs === undefined) {
    throw new TypeError("fault: 'latency' needs 'delayMs'");
  }
  if (
    options.items !== undefined &&
    !(Array.isArray(options.items) && options.items.every(Number.isInteger))
  ) {
    throw new TypeError("fault: 'items' must be an array of batch indexes");
  }
}

function checkRateLimit(limit: RateLimitSettings | false): void {
  if (limit === false) return;
  if (!(Number.isInteger(limit?.requests) && limit.requests > 0 && limit.windowMs > 0)) {
    throw new TypeError(
      'rateLimit: expected { requests: positive integer, windowMs: positive number } or false',
    );
  }
  checkAccountLimits(limit.accountLimits);
}

/** The fault rules, the optional real rate limit and the record of every fault that fired. */
export class FaultEngine implements FaultController {
  private rules: Rule[] = [];
  private records: FaultRecord[] = [];
  private nextId = 1;
  private limit: RateLimitSettings | false;
  private readonly windows = new Map<string, number[]>();
  /** Called for every fault recorded (counts them in the stats). */
  onRecord: (record: FaultRecord) => void = () => {};

  constructor(
    private readonly initialLimit: RateLimitSettings | false,
    private readonly maxHistory = 100_000,
  ) {
    checkRateLimit(initialLimit);
    this.limit = initialLimit;
  }

  inject(options: FaultOptions): number {
    checkFaultOptions(options);
    const unlimited =
      options.share !== undefined || options.recipient !== undefined || options.items !== undefined;
    const rule: Rule = {
      ...options,
      id: this.nextId++,
      fired: 0,
      seen: 0,
      limit: options.count ?? (unlimited ? Number.POSITIVE_INFINITY : 1),
      recipientLower: options.recipient?.toLowerCase(),
    };
    this.rules.push(rule);
    return rule.id;
  }

  rateLimit(limit: RateLimitSettings | false): void {
    checkRateLimit(limit);
    this.limit = limit;
    this.windows.clear();
  }

  currentRateLimit(): RateLimitSettings | false {
    return this.limit;
  }

  clear(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((rule) => rule.id !== id);
  }

  active(): ActiveFault[] {
    return this.rules.map(({ seen: _seen, limit: _limit, recipientLower: _recipient, ...rule }) => ({
      ...rule,
    }));
  }

  history(): FaultRecord[] {
    return this.records.slice();
  }

  /** Back to the start: no rules, no history, the rate limit given at startup with fresh windows. */
  reset(): void {
    this.rules = [];
    this.records = [];
    this.limit = this.initialLimit;
    this.windows.clear();
  }

  record(record: FaultRecord): void {
    this.records.push(record);
    if (this.records.length > this.maxHistory) this.records.splice(0, this.records.length - this.maxHistory);
    this.onRecord(record);
  }

  private applies(rule: Rule, context: FaultContext): boolean {
    const paths = rule.paths ?? ['send', 'batch'];
    if (!paths.includes(context.kind)) return false;
    if (rule.streams && (!context.stream || !rule.streams.includes(context.stream))) return false;
    return true;
  }

  private takes(rule: Rule): boolean {
    rule.seen++;
    if (
      rule.share !== undefined &&
      Math.floor(rule.seen * rule.share) === Math.floor((rule.seen - 1) * rule.share)
    ) {
      return false;
    }
    rule.fired++;
    if (rule.fired >= rule.limit) this.rules = this.rules.filter((other) => other !== rule);
    return true;
  }

  /** Whether some request-level rule may need the recipients (so the body must be read first). */
  needsBody(context: FaultContext): boolean {
    return this.rules.some(
      (rule) =>
        rule.kind !== 'batch_item_failure' &&
        rule.recipientLower !== undefined &&
        this.applies(rule, context),
    );
  }

  /**
   * The request-level rule that fires for this request, if any. `phase` 'headers' looks at rules
   * without a recipient (decided before the body is read), 'body' at rules with one.
   */
  take(context: FaultContext, phase: 'headers' | 'body'): ActiveFault | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules.slice()) {
      if (rule.kind === 'batch_item_failure' || rule.kind === 'latency') continue;
      if (this.eligible(rule, context, phase) && this.takes(rule)) return rule;
    }
    return undefined;
  }

  /** The latency rules that fire for this request (they add up, and other faults still apply). */
  takeLatency(context: FaultContext, phase: 'headers' | 'body'): ActiveFault[] {
    const fired: ActiveFault[] = [];
    if (this.rules.length === 0) return fired;
    for (const rule of this.rules.slice()) {
      if (rule.kind === 'latency' && this.eligible(rule, context, phase) && this.takes(rule))
        fired.push(rule);
    }
    return fired;
  }

  private eligible(rule: Rule, context: FaultContext, phase: 'headers' | 'body'): boolean {
    if (!this.applies(rule, context)) return false;
    if (phase === 'headers') return rule.recipientLower === undefined;
    return rule.recipientLower !== undefined && context.recipients?.has(rule.recipientLower) === true;
  }

  hasItemRules(): boolean {
    return this.rules.some((rule) => rule.kind === 'batch_item_failure');
  }

  /** For a batch: the items that fail, with their errors and the rule that failed them. */
  itemFailures(
    context: FaultContext,
    items: Array<{ index: number; recipients: Set<string> } | undefined>,
  ): Map<number, { rule: ActiveFault; errors: string[] }> {
    const failures = new Map<number, { rule: ActiveFault; errors: string[] }>();
    if (this.rules.length === 0) return failures;
    for (const rule of this.rules.slice()) {
      if (rule.kind !== 'batch_item_failure' || !this.applies(rule, context)) continue;
      for (const item of items) {
        if (!item || failures.has(item.index)) continue;
        if (!this.rules.includes(rule)) break;
        if (rule.items && !rule.items.includes(item.index)) continue;
        if (rule.recipientLower !== undefined && !item.recipients.has(rule.recipientLower)) continue;
        if (this.takes(rule)) {
          failures.set(item.index, {
            rule,
            errors: rule.errors ?? ['Internal error, the message was not sent'],
          });
        }
      }
    }
    return failures;
  }

  /** The real rate limit: 0 when the request may pass, else the ms until a slot frees. */
  rateLimitWait(tokenKey: string, now: number): number {
    const limit = this.limit;
    if (limit === false) return 0;
    let window = this.windows.get(tokenKey);
    if (!window) {
      window = [];
      this.windows.set(tokenKey, window);
    }
    return takeSlot(window, limit.requests, limit.windowMs, now);
  }
}
