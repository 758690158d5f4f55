/**
 * The API tokens of the emulated account: the configured ones, one sending token per domain (as
 * the domain's Integration tab gives), and those made through the API tokens API. A token is
 * looked up on every request, so a created, reset or deleted token works (or stops) at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MailtrapStream } from './types';

export const ALL_STREAMS: MailtrapStream[] = ['transactional', 'bulk', 'sandbox'];

/** A short, stable name for a token that never reveals it. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

export type AccessLevel = 10 | 100;

export interface ResourcePermission {
  resource_type: 'account' | 'project' | 'sandbox' | 'domain';
  resource_id: number | string;
  access_level: AccessLevel;
}

export interface TokenEntry {
  id: number;
  name: string;
  /** A short hash naming the token in records (never the token itself). */
  key: string;
  streams: Set<MailtrapStream>;
  /** The domains (ids) the token may send from and see; undefined: the whole account. */
  domainIds?: Set<number>;
  /** The token's access to the account as a whole: 100 admin, 10 viewer, undefined none. */
  accountAccess?: AccessLevel;
  resources: ResourcePermission[];
  createdBy: string;
  createdAt: string;
  last4: string;
  /** Made by the emulator (a domain's token, the API tokens API): its value may be shown locally. */
  generated: boolean;
}

export interface TokenInput {
  token?: string;
  name: string;
  streams?: MailtrapStream[];
  domainIds?: number[];
  accountAccess?: AccessLevel;
  resources: ResourcePermission[];
  createdBy: string;
  /** Default: whether `token` is absent (a value given by the user is never shown again). */
  generated?: boolean;
}

/** The API tokens API's shape of a token (the full value only on create and reset). */
export function apiToken(entry: TokenEntry, token?: string) {
  return {
    id: entry.id,
    name: entry.name,
    last_4_digits: entry.last4,
    created_by: entry.createdBy,
    expires_at: null,
    resources: entry.resources,
    ...(token === undefined ? {} : { token }),
  };
}

export class TokenStore {
  private readonly byValue = new Map<string, TokenEntry>();
  private readonly values = new Map<number, string>();
  private nextId = 1;

  /** Adds a token; returns its value (a generated one when `input.token` is absent). */
  add(input: TokenInput): { entry: TokenEntry; token: string } {
    const token = input.token ?? randomBytes(16).toString('hex');
    const entry: TokenEntry = {
      id: this.nextId++,
      name: input.name,
      key: tokenKey(token),
      streams: new Set(input.streams ?? ALL_STREAMS),
      domainIds: input.domainIds ? new Set(input.domainIds) : undefined,
      accountAccess: input.accountAccess,
      resources: input.resources,
      createdBy: input.createdBy,
      createdAt: new Date().toISOString(),
      last4: token.slice(-4),
      generated: input.generated ?? input.token === undefined,
    };
    this.byValue.set(token, entry);
    this.values.set(entry.id, token);
    return { entry, token };
  }

  find(token: string): TokenEntry | undefined {
    return this.byValue.get(token);
  }

  get(id: number): TokenEntry | undefined {
    const value = this.values.get(id);
    return value === undefined ? undefined : this.byValue.get(value);
  }

  /** The token's value (for the emulator's own API and inbox; the account API never shows it again). */
  valueOf(id: number): string | undefined {
    return this.values.get(id);
  }

  list(): TokenEntry[] {
    return [...this.byValue.values()];
  }

  /** A new value for the token: the old one stops working at once. */
  reset(id: number): string | undefined {
    const entry = this.get(id);
    if (!entry) return undefined;
    this.byValue.delete(this.values.get(id)!);
    const token = randomBytes(16).toString('hex');
    entry.key = tokenKey(token);
    entry.last4 = token.slice(-4);
    entry.generated = true;
    this.byValue.set(token, entry);
    this.values.set(id, token);
    return token;
  }

  delete(id: number): boolean {
    const value = this.values.get(id);
    if (value === undefined) return false;
    this.byValue.delete(value);
    this.values.delete(id);
    return true;
  }

  /** The tokens of one domain (its sending token and tokens scoped to it alone). */
  ofDomain(domainId: number): TokenEntry[] {
    return this.list().filter((entry) => entry.domainIds?.size === 1 && entry.domainIds.has(domainId));
  }
}

/** Whether the token may see (and send from) the domain. */
export function coversDomain(entry: TokenEntry, domainId: number): boolean {
  return entry.domainIds === undefined || entry.domainIds.has(domainId);
}

/** Whether the token may read (10) or change (100) account-wide resources. */
export function hasAccountAccess(entry: TokenEntry, level: AccessLevel): boolean {
  return entry.accountAccess !== undefined && entry.accountAccess >= level;
}
