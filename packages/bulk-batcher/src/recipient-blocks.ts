import type { RecipientInput } from './packer';

/**
 * A reader's recipients chunk by chunk: the readers attach it to the generator they return, and
 * `packRecipients` reads through it when it is there, with one asynchronous step per chunk read
 * instead of one per recipient. The chunks continue where the generator stopped: reading one way
 * then the other gives each recipient once. Stopping either early (a `break`, a throw) closes the
 * source: the recipients left are read neither way.
 */
export const recipientBlocks = Symbol('mailtrap-kit.recipientBlocks');

export type WithRecipientBlocks<T> = T & { [recipientBlocks]: () => AsyncIterable<RecipientInput[]> };

export function withRecipientBlocks<T extends object>(
  recipients: T,
  blocks: () => AsyncIterable<RecipientInput[]>,
): WithRecipientBlocks<T> {
  return Object.assign(recipients, { [recipientBlocks]: blocks });
}

export function hasRecipientBlocks(recipients: unknown): boolean {
  return typeof (recipients as Partial<WithRecipientBlocks<object>> | null)?.[recipientBlocks] === 'function';
}

/** The rest of `recipients` chunk by chunk when its reader attached chunks; undefined otherwise. */
export function blocksOf(recipients: unknown): AsyncIterable<RecipientInput[]> | undefined {
  return hasRecipientBlocks(recipients)
    ? (recipients as WithRecipientBlocks<object>)[recipientBlocks]()
    : undefined;
}
