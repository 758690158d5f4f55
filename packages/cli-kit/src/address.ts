import { type Address, emailAddressProblem } from '@mailtrap-kit/core';
import { InvalidArgumentError } from 'commander';

/**
 * An address as typed on a command line: `ada@example.com` or `Ada Lovelace <ada@example.com>`
 * (the name may be quoted). Checked by core's one address rule; throws commander's
 * `InvalidArgumentError` (a usage error naming the option) otherwise.
 */
export function parseAddress(value: string): Address {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  const email = (match ? match[2]! : value).trim();
  const name = match?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  const problem = emailAddressProblem(email);
  if (problem) throw new InvalidArgumentError(`${JSON.stringify(value)} is not an address: it ${problem}`);
  return name ? { email, name } : { email };
}

/** A value parser for a repeatable option: each occurrence parsed and collected in order. */
export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}
