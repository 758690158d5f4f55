import {
  type ContactImportProblem,
  MailtrapAuthenticationError,
  MailtrapContactImportError,
  MailtrapError,
  type MailtrapErrorOptions,
  MailtrapNotFoundError,
  MailtrapPayloadTooLargeError,
  MailtrapPermissionError,
  MailtrapRateLimitError,
  MailtrapServerError,
  MailtrapValidationError,
} from './errors';

/** Turns every error body shape of the sending hosts and the account API into a list of messages. @internal */
export function parseErrorMessages(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.length === 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return [truncate(stripHtml(trimmed))];
  }
  const messages: string[] = [];
  collect(parsed, messages);
  return messages;
}

/** The per-email errors of a contact import (`{ errors: [{ email, errors: { field: [...] } }] }`). */
function contactImportProblems(text: string): ContactImportProblem[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const problems: ContactImportProblem[] = [];
  for (const item of errors) {
    const { email, errors: fields } = (item ?? {}) as { email?: unknown; errors?: unknown };
    if (typeof email !== 'string' || typeof fields !== 'object' || fields === null) return undefined;
    const byField: Record<string, string[]> = {};
    for (const [field, messages] of Object.entries(fields)) {
      byField[field] = (Array.isArray(messages) ? messages : [messages]).map(String);
    }
    problems.push({ email, errors: byField });
  }
  return problems;
}

function collect(value: unknown, messages: string[]): void {
  if (typeof value === 'string') {
    messages.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, messages);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    if (value !== undefined) messages.push(String(value));
    return;
  }
  const body = value as Record<string, unknown>;
  if (typeof body.email === 'string' && typeof body.errors === 'object' && body.errors !== null) {
    // one contact of a contact import: { email, errors: { field: ["msg"] } }
    const list: string[] = [];
    collect({ errors: body.errors }, list);
    for (const message of list) messages.push(`${body.email}: ${message}`);
    return;
  }
  if (body.errors !== undefined) {
    const errors = body.errors;
    if (typeof errors === 'object' && errors !== null && !Array.isArray(errors)) {
      // { errors: { field: ["msg"], base: ["msg"] } }
      for (const [field, fieldMessages] of Object.entries(errors)) {
        const list: string[] = [];
        collect(fieldMessages, list);
        for (const message of list) messages.push(field === 'base' ? message : `${field}: ${message}`);
      }
    } else collect(errors, messages);
  }
  if (body.error !== undefined) collect(body.error, messages);
  if (messages.length === 0 && typeof body.message === 'string') messages.push(body.message);
}

function stripHtml(text: string): string {
  if (!text.startsWith('<')) return text;
  const title = /<title>([^<]*)<\/title>/i.exec(text) ?? /<h1>([^<]*)<\/h1>/i.exec(text);
  return title
    ? title[1]!.trim()
    : text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date). @internal */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const statusTexts: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A send or batch on a sending host: what explains a 401 there. @internal */
export interface SendingContext {
  stream: string;
  senderDomains: string[];
}

/**
 * Why a sending host answered 401, as far as it can be told. Mailtrap's API tokens are per sending
 * domain: the sending hosts refuse a token that does not cover the sender's domain with 401, the
 * same status (and the same bare "Unauthorized" body) as a wrong or revoked token or a token without
 * the stream. The real API's body does not say which; so the reason is inferred: a body naming the
 * domain or coverage (the emulator's, and any future API message) is taken as the sender domain not
 * covered, and a bare "Unauthorized" is reported with the sender domain as the first thing to check.
 */
function explainSendingUnauthorized(errors: string[], sending: SendingContext): string {
  const domains = sending.senderDomains.join(', ');
  if (domains.length === 0) return '';
  const said = errors.join(' ');
  if (/domain|cover/i.test(said) && !/stream/i.test(said)) {
    // The server already said what is wrong: add what to do, without saying it twice.
    return ` — API tokens are per sending domain: use the token of ${domains} (or an account token with access to it)`;
  }
  if (/stream/i.test(said)) return ` — the token has no access to the ${sending.stream} stream`;
  return ` — the token was refused for sending from ${domains}: API tokens are per sending domain, so check that this token belongs to ${domains} (or has access to it) and to the ${sending.stream} stream; a wrong or revoked token gets the same answer`;
}

/** The typed error for a non-2xx answer. @internal */
export function errorForStatus(
  status: number,
  text: string,
  retryAfterHeader: string | string[] | undefined,
  method: string,
  path: string,
  idempotent: boolean,
  sending?: SendingContext,
): MailtrapError {
  const errors = parseErrorMessages(text);
  const label = statusTexts[status] ? `${status} ${statusTexts[status]}` : String(status);
  const detail = errors.length > 0 ? errors.join('; ') : 'an empty body';
  const explanation = status === 401 && sending ? explainSendingUnauthorized(errors, sending) : '';
  const message = `Mailtrap API answered ${label} to ${method} ${path}: ${detail}${explanation}`;
  const options: MailtrapErrorOptions = { status, errors };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader);
    return new MailtrapRateLimitError(message, {
      ...options,
      retryable: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader);
    // 501 and 505 say the server does not support what was asked: it did not perform the request,
    // and asking again gets the same answer.
    const permanent = status === 501 || status === 505;
    return new MailtrapServerError(message, {
      ...options,
      retryable: idempotent && !permanent,
      maybeSent: !idempotent && !permanent,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  switch (status) {
    case 422: {
      const contacts = contactImportProblems(text);
      return contacts
        ? new MailtrapContactImportError(message, { ...options, contacts })
        : new MailtrapValidationError(message, options);
    }
    case 400:
      return new MailtrapValidationError(message, options);
    case 401:
      return new MailtrapAuthenticationError(message, {
        ...options,
        ...(sending && sending.senderDomains.length > 0 ? { senderDomains: sending.senderDomains } : {}),
      });
    case 403:
      return new MailtrapPermissionError(message, options);
    case 404:
      return new MailtrapNotFoundError(message, options);
    case 413:
      return new MailtrapPayloadTooLargeError(message, options);
    default:
      return new MailtrapError(message, { code: 'http', ...options });
  }
}

/**
 * Encodes query parameters with bracket notation: `{filters: {to: {operator: 'ci_equal', value: ['a']}}}`
 * becomes `filters[to][operator]=ci_equal&filters[to][value][]=a`. @internal
 */
export function encodeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const key of Object.keys(query)) append(parts, encodeURIComponent(key), query[key]);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function append(parts: string[], key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) append(parts, `${key}[]`, item);
  } else if (value instanceof Date) {
    parts.push(`${key}=${encodeURIComponent(value.toISOString())}`);
  } else if (typeof value === 'object') {
    for (const [name, inner] of Object.entries(value))
      append(parts, `${key}[${encodeURIComponent(name)}]`, inner);
  } else {
    parts.push(`${key}=${encodeURIComponent(String(value))}`);
  }
}
