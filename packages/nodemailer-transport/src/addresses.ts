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
      if (found) {
        throw new MailtrapValidationError(
          `Invalid address in \`${at}\`: ${JSON.stringify(found.text)} ${found.problem}. Nothing was sent.`,
          { field: at },
        );
      }
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
