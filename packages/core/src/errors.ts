/**
 * Stable error codes of {@link MailtrapError}: core's own words, and the codes of the other
 * mailtrap-kit packages, which are namespaced by the package (`templates.render`, `bulk.journal`).
 */
export type MailtrapErrorCode =
  | `${string}.${string}`
  | 'validation'
  | 'authentication'
  | 'permission'
  | 'rate_limit'
  | 'payload_too_large'
  | 'not_found'
  | 'http'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'configuration'
  | 'unsupported_runtime';

export interface MailtrapErrorOptions {
  code?: MailtrapErrorCode;
  status?: number;
  errors?: string[];
  retryable?: boolean;
  retryAfterMs?: number;
  maybeSent?: boolean;
  cause?: unknown;
}

const markerPrefix = 'mailtrap-kit.error.';

/**
 * Registers an error class of the MailtrapError family: sets its `name` (as written, whatever a
 * bundler does to the class) and a `Symbol.for` marker, so `YourError.isInstance(value)` recognises
 * errors made by another copy of the package (the ESM and the CommonJS build loaded side by side).
 * Every subclass calls it once, in a static block: `static { markErrorClass(this, 'YourError'); }`.
 */
export function markErrorClass(target: { prototype: object; marker?: symbol }, name: string): void {
  mark(target, name);
}

function mark(target: { prototype: object; marker?: symbol }, name: string): void {
  const marker = Symbol.for(markerPrefix + name);
  Object.defineProperty(target, 'marker', { value: marker, enumerable: false });
  Object.defineProperty(target.prototype, marker, { value: true, enumerable: false });
  Object.defineProperty(target.prototype, 'name', {
    value: name,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause !== 'object') return String(cause);
  const value = cause as { name?: unknown; message?: unknown; code?: unknown };
  const out: Record<string, unknown> = {};
  if (typeof value.name === 'string') out.name = value.name;
  if (typeof value.message === 'string') out.message = value.message;
  if (typeof value.code === 'string' || typeof value.code === 'number') out.code = value.code;
  return out;
}

/** The one base error of the package. Check with `MailtrapError.isInstance(error)`. */
export class MailtrapError extends Error {
  /** The `Symbol.for` marker of this class. */
  declare static readonly marker: symbol;
  static {
    mark(MailtrapError, 'MailtrapError');
  }

  /** A stable machine-readable code. */
  code: MailtrapErrorCode;
  /** The HTTP status, when the server answered. */
  declare status?: number;
  /** The server's error messages (empty when there were none). */
  errors: string[];
  /** True when repeating the same request is safe and may succeed (nothing was accepted). */
  retryable: boolean;
  /** How long the server asked to wait (Retry-After), when known. */
  declare retryAfterMs?: number;
  /** True when the request may have been accepted (5xx, a timeout or reset after the body left). */
  maybeSent: boolean;
  declare cause?: unknown;

  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'http';
    if (options.status !== undefined) this.status = options.status;
    this.errors = options.errors ?? [];
    this.retryable = options.retryable ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.maybeSent = options.maybeSent ?? false;
  }

  /** True for an instance of this class from any copy of the package (ESM or CommonJS). */
  static isInstance<T extends abstract new (...args: any) => MailtrapError>(
    this: T & { marker: symbol },
    value: unknown,
  ): value is InstanceType<T> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance is called on (a subclass too)
    const marker = this.marker;
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** A safe JSON form: no request headers, the cause reduced to name, message and code. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    if (this.status !== undefined) out.status = this.status;
    out.errors = this.errors;
    out.retryable = this.retryable;
    if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
    out.maybeSent = this.maybeSent;
    const field = (this as { field?: string }).field;
    if (field !== undefined) out.field = field;
    const cause = describeCause(this.cause);
    if (cause !== undefined) out.cause = cause;
    return out;
  }
}

/** Invalid input (checked before sending, `field` names it) or a 400/422 answer. */
export class MailtrapValidationError extends MailtrapError {
  static {
    mark(MailtrapValidationError, 'MailtrapValidationError');
  }
  /** The offending field, e.g. `requests[3].to[0].email`. */
  declare field?: string;
  constructor(message: string, options: MailtrapErrorOptions & { field?: string } = {}) {
    super(message, { code: 'validation', ...options });
    if (options.field !== undefined) this.field = options.field;
  }
}

/** One contact a contact import refused, with the API's messages by field (`email`, `fields`, `base`, ...). */
export interface ContactImportProblem {
  email: string;
  errors: Record<string, string[]>;
}

/**
 * 422 to a contact import that names contacts: `contacts` lists each refused email with its
 * errors (the API's per-email shape, kept as it came); `errors` has one line per message.
 */
export class MailtrapContactImportError extends MailtrapValidationError {
  static {
    mark(MailtrapContactImportError, 'MailtrapContactImportError');
  }
  contacts: ContactImportProblem[];
  constructor(message: string, options: MailtrapErrorOptions & { contacts?: ContactImportProblem[] } = {}) {
    const { contacts, ...rest } = options;
    super(message, rest);
    this.contacts = contacts ?? [];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), contacts: this.contacts };
  }
}

/** Invalid client options. */
export class MailtrapConfigurationError extends MailtrapError {
  static {
    mark(MailtrapConfigurationError, 'MailtrapConfigurationError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'configuration', ...options });
  }
}

/**
 * A feature this runtime cannot provide, raised before anything is sent: an attachment `path` or an
 * undici `dispatcher` outside Node, any client in a browser. `feature` names what was asked for;
 * the message says what it needs and what works instead.
 */
export class MailtrapUnsupportedRuntimeError extends MailtrapError {
  static {
    mark(MailtrapUnsupportedRuntimeError, 'MailtrapUnsupportedRuntimeError');
  }
  /** What was asked for, e.g. `attachments[0].path`, `dispatcher`, `transport: 'undici'`. */
  feature: string;
  constructor(message: string, options: MailtrapErrorOptions & { feature?: string } = {}) {
    const { feature, ...rest } = options;
    super(message, { code: 'unsupported_runtime', ...rest });
    this.feature = feature ?? 'runtime';
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), feature: this.feature };
  }
}

/**
 * 401: the token is wrong or revoked, lacks the stream's scope, or (on the sending hosts) does not
 * cover the sender's domain; then `senderDomains` names the domains the refused send came from.
 */
export class MailtrapAuthenticationError extends MailtrapError {
  static {
    mark(MailtrapAuthenticationError, 'MailtrapAuthenticationError');
  }
  /** On a 401 from a sending host: the sender domains of the refused send or batch. */
  declare senderDomains?: string[];
  constructor(message: string, options: MailtrapErrorOptions & { senderDomains?: string[] } = {}) {
    super(message, { code: 'authentication', ...options });
    if (options.senderDomains !== undefined) this.senderDomains = options.senderDomains;
  }
}

/** 403: no permission, or the sending domain is not verified. */
export class MailtrapPermissionError extends MailtrapError {
  static {
    mark(MailtrapPermissionError, 'MailtrapPermissionError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'permission', ...options });
  }
}

/** 404. */
export class MailtrapNotFoundError extends MailtrapError {
  static {
    mark(MailtrapNotFoundError, 'MailtrapNotFoundError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'not_found', ...options });
  }
}

/** 429 (after the retries, when they did not help). */
export class MailtrapRateLimitError extends MailtrapError {
  static {
    mark(MailtrapRateLimitError, 'MailtrapRateLimitError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'rate_limit', retryable: true, ...options });
  }
}

/** 413: the message or batch is larger than the server accepts. */
export class MailtrapPayloadTooLargeError extends MailtrapError {
  static {
    mark(MailtrapPayloadTooLargeError, 'MailtrapPayloadTooLargeError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'payload_too_large', ...options });
  }
}

/** 5xx: the request may have been accepted (`maybeSent`). */
export class MailtrapServerError extends MailtrapError {
  static {
    mark(MailtrapServerError, 'MailtrapServerError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'server', ...options });
  }
}

/** Connection refused, DNS failure, connection reset; `maybeSent` tells whether the body may have left. */
export class MailtrapNetworkError extends MailtrapError {
  static {
    mark(MailtrapNetworkError, 'MailtrapNetworkError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'network', ...options });
  }
}

/** The per-attempt or total timeout elapsed. */
export class MailtrapTimeoutError extends MailtrapError {
  static {
    mark(MailtrapTimeoutError, 'MailtrapTimeoutError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'timeout', ...options });
  }
}

/** The caller's AbortSignal fired. */
export class MailtrapAbortError extends MailtrapError {
  static {
    mark(MailtrapAbortError, 'MailtrapAbortError');
  }
  constructor(message: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'aborted', ...options });
  }
}
