// Addresses as the user wrote them. Nodemailer drops what it cannot parse (`'bob example.org'`,
// `'<>'`), so the transport checks the message's own address options first, with core's one
// address rule, and names the option, the address and the reason before anything is sent.

import { domainToASCII } from 'node:url';
import {
  type Address,
  emailAddressProblem,
  MailtrapConfigurationError,
  MailtrapValidationError,
} from '@mailtrap-kit/core';
import { addressparser, type ParsedAddress } from './nodemailer-internals';

const addressFields = ['from', 'to', 'cc', 'bcc', 'replyTo'] as const;

/** The parsed addresses of a message, keyed as Nodemailer's `MimeNode.getAddresses()` keys them. */
export type MessageAddresses = Record<string, Array<{ address: string; name?: string }>>;

const fieldKeys: Record<(typeof addressFields)[number], string> = {
  from: 'from',
  to: 'to',
  cc: 'cc',
  bcc: 'bcc',
  replyTo: 'reply-to',
};
const addressHeaders = new Set(['from', 'to', 'cc', 'bcc', 'reply-to', 'sender']);

// The forms most messages use, which Nodemailer's parser reads back unchanged: a bare ASCII
// dot-atom address, or one plain or quoted display name before it in angle brackets.
const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const plainAddress = `(${atom}(?:\\.${atom})*@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)`;
const bareForm = new RegExp(`^${plainAddress}$`);
const namedForm = new RegExp(
  `^(?:"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)"|([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)) <${plainAddress}>$`,
);

/** A bare address: nothing Nodemailer's address parser would have to take apart. */
const bare = /^[^\s,;:<>()"]+$/;

function parseProblem(text: string): string {
  if (/<\s*>/.test(text)) return 'has an empty address between < and >';
  if (!text.includes('@')) return 'has no @ (it is not an email address)';
  return emailAddressProblem(text) ?? 'is not an email address';
}

/** Why one entry of an address option is not an address, or undefined when every address in it is. */
function entryProblem(entry: unknown): { text: string; problem: string } | undefined {
  if (entry === undefined || entry === null || entry === false || entry === '') return undefined;
  if (typeof entry === 'object') {
    const address = (entry as { address?: unknown }).address;
    if (typeof address !== 'string') {
      return { text: JSON.stringify(entry), problem: 'has no `address` string' };
    }
    const problem = emailAddressProblem(address.trim());
    return problem === undefined ? undefined : { text: address, problem };
  }
  const text = String(entry).trim();
  if (bare.test(text)) {
    const problem = emailAddressProblem(text);
    if (problem === undefined) return undefined;
    if (text.includes('@')) return { text, problem };
  }
  for (const parsed of flattenGroups(addressparser(text))) {
    if (!parsed.address) return { text: parsed.name || text, problem: parseProblem(text) };
    const problem = emailAddressProblem(parsed.address);
    if (problem !== undefined) return { text: parsed.address, problem };
  }
  return undefined;
}

function flattenGroups(list: ParsedAddress[]): ParsedAddress[] {
  if (!list.some((entry) => entry.group)) return list;
  return list.flatMap((entry) => (entry.group ? flattenGroups(entry.group) : [entry]));
}

function flatten(value: unknown, at: string, out: Array<[unknown, string]>): void {
  if (!Array.isArray(value)) {
    out.push([value, at]);
    return;
  }
  for (let index = 0; index < value.length; index++) flatten(value[index], `${at}[${index}]`, out);
}

function invalidAddress(field: string, text: string, problem: string): MailtrapValidationError {
  return new MailtrapValidationError(
    `Invalid address in \`${field}\`: ${JSON.stringify(text)} ${problem}. Nothing was sent.`,
    { field },
  );
}

function simpleEntry(value: string): { address: string; name?: string } | undefined {
  const bare = bareForm.exec(value);
  if (bare) return { address: lowerDomain(bare[1]!) };
  const named = namedForm.exec(value);
  if (!named) return undefined;
  const name = named[1] ?? named[2]!;
  // Encoded words and surrounding spaces are decoded and trimmed by Nodemailer's parser.
  if (name.includes('=?') || name !== name.trim()) return undefined;
  return name ? { address: lowerDomain(named[3]!), name } : { address: lowerDomain(named[3]!) };
}

function lowerDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return address.slice(0, at + 1) + address.slice(at + 1).toLowerCase();
}

/**
 * The message's addresses without Nodemailer's parser, when every address option is a plain
 * string of a common form (see above) and no header sets an address field; undefined otherwise,
 * and then {@link checkAddressOptions} and `MimeNode.getAddresses()` do the work. Each address is
 * checked with core's rule (a `MailtrapValidationError` names it). The result is the same as
 * getAddresses' (domains lowercased, duplicates within a field dropped).
 */
export function simpleAddresses(data: Record<string, unknown>): MessageAddresses | undefined {
  if (data.sender !== undefined && data.sender !== null && data.sender !== '') return undefined;
  const headers = data.headers;
  if (headers !== undefined && headers !== null) {
    if (Array.isArray(headers) || typeof headers !== 'object') return undefined;
    for (const key in headers) if (addressHeaders.has(key.toLowerCase())) return undefined;
  }
  const result: MessageAddresses = {};
  for (const field of addressFields) {
    const value = data[field];
    if (value === undefined || value === null || value === '' || value === false) continue;
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (values === undefined) return undefined;
    const list: MessageAddresses[string] = [];
    const seen = new Set<string>();
    for (let index = 0; index < values.length; index++) {
      const entry = values[index];
      if (typeof entry !== 'string') return undefined;
      const parsed = simpleEntry(entry);
      if (!parsed) return undefined;
      const problem = emailAddressProblem(parsed.address);
      if (problem !== undefined) {
        throw invalidAddress(
          typeof value === 'string' ? field : `${field}[${index}]`,
          parsed.address,
          problem,
        );
      }
      if (seen.has(parsed.address)) continue;
      seen.add(parsed.address);
      list.push(parsed);
    }
    result[fieldKeys[field]] = list;
  }
  return result;
}

/**
 * Checks `from`, `to`, `cc`, `bcc` and `replyTo` as given to sendMail. Throws a
 * `MailtrapValidationError` whose `field` is the option (`to`, `to[2]`, ...) and whose message
 * names the address and why it is refused.
 */
export function checkAddressOptions(data: Record<string, unknown>): void {
  for (const field of addressFields) {
    const value = data[field];
    if (value === undefined || value === null || value === '' || value === false) continue;
    const entries: Array<[unknown, string]> = [];
    flatten(value, field, entries);
    for (const [entry, at] of entries) {
      const found = entryProblem(entry);
      if (found) throw invalidAddress(at, found.text, found.problem);
    }
  }
}

/** Parses one address given in settings (the transport's `from`, createTransport's defaults). */
export function parseAddress(value: unknown, setting: string): Address {
  let parsed: ParsedAddress[];
  if (typeof value === 'object' && value !== null && typeof (value as ParsedAddress).address === 'string') {
    parsed = [value as ParsedAddress];
  } else if (typeof value === 'string') {
    parsed = flattenGroups(addressparser(value));
  } else {
    throw new MailtrapConfigurationError(
      `\`${setting}\` must be an address such as '"Shop" <shop@your-domain.com>' or { name, address }.`,
    );
  }
  if (parsed.length !== 1 || !parsed[0]!.address) {
    throw new MailtrapConfigurationError(
      `\`${setting}\` must be exactly one address, not ${JSON.stringify(value)}.`,
    );
  }
  const address = parsed[0]!.address!;
  const name = parsed[0]!.name;
  const problem = emailAddressProblem(address);
  if (problem !== undefined) {
    throw new MailtrapConfigurationError(`\`${setting}\`: ${JSON.stringify(address)} ${problem}.`);
  }
  // The domain in Punycode, as Nodemailer writes it.
  const at = address.lastIndexOf('@');
  const email = `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1)) || address.slice(at + 1)}`;
  return name ? { email, name } : { email };
}
