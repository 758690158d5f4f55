import { emailAddressProblem } from '../address';
import { invalid } from './call';

// Input checks shared by the resources: each throws a MailtrapValidationError naming the field,
// before anything is sent.

/** A positive integer id (ids go into paths). */
export function checkId(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^[1-9]\d*$/.test(value)) return Number(value);
  return invalid(field, `expected a positive integer id, got ${JSON.stringify(value)}`);
}

/** A non-empty string of at most `max` characters. */
export function checkString(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || value.length === 0) invalid(field, 'expected a non-empty string');
  if (max !== undefined && value.length > max)
    invalid(field, `is ${value.length} characters; at most ${max}`);
  return value;
}

/** One of the spec's enum values. */
export function checkOneOf<T extends string | number>(
  value: unknown,
  field: string,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    invalid(
      field,
      `expected one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** A plain object with only the given keys (the API drops unknown keys silently). */
export function checkObject(
  value: unknown,
  field: string,
  keys?: readonly string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid(field, 'expected an object');
  if (keys) {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        invalid(
          `${field}.${key}`,
          `is not a known field (expected ${keys.join(', ')}); the API would drop it silently`,
        );
      }
    }
  }
  return value as Record<string, unknown>;
}

/** An object given for an update must change something. */
export function checkNotEmpty(value: Record<string, unknown>, field: string): void {
  if (Object.keys(value).length === 0) invalid(field, 'has no field to update');
}

/** A boolean. */
export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') invalid(field, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` (a Date is formatted in UTC). */
export function checkDate(value: unknown, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) invalid(field, 'is an invalid Date');
    return value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string' || !isoDate.test(value) || Number.isNaN(Date.parse(value))) {
    invalid(field, `expected a date like 2026-01-31, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A date-time (ISO 8601 string or Date), sent as ISO 8601. */
export function checkDateTime(value: unknown, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) invalid(field, 'is an invalid Date');
    return value.toISOString();
  }
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    invalid(field, `expected an ISO 8601 date-time or a Date, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A non-empty array whose items each pass `check`. */
export function checkArray<T>(
  value: unknown,
  field: string,
  check: (item: unknown, field: string) => T,
): T[] {
  if (!Array.isArray(value)) invalid(field, 'expected an array');
  return value.map((item, index) => check(item, `${field}[${index}]`));
}

/** An https URL (webhook targets). */
export function checkUrl(value: unknown, field: string): string {
  const text = checkString(value, field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid(field, `expected a URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(field, 'expected an http(s) URL');
  return text;
}

/** An email address, by core's one address rule (`emailAddressProblem`). */
export function checkEmail(value: unknown, field: string): string {
  const email = checkString(value, field);
  const problem = emailAddressProblem(email);
  if (problem !== undefined) invalid(field, `is not an email address: ${JSON.stringify(email)} ${problem}`);
  return email;
}

/** An object of name → string, finite number, boolean or null (contact fields, event params). */
export function checkScalars(value: unknown, field: string, maxNameLength?: number): Record<string, unknown> {
  const record = checkObject(value, field);
  for (const [name, item] of Object.entries(record)) {
    if (maxNameLength !== undefined && name.length > maxNameLength) {
      invalid(
        `${field}.${name.slice(0, 20)}…`,
        `is a ${name.length}-character name; at most ${maxNameLength}`,
      );
    }
    const scalar =
      item === null ||
      typeof item === 'string' ||
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item));
    if (!scalar) {
      invalid(
        `${field}.${name}`,
        `expected a string, a finite number, a boolean or null, got ${JSON.stringify(item)}`,
      );
    }
  }
  return record;
}
