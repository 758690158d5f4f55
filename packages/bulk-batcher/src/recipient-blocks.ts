import type { RecipientInput } from './packer';

/**
 * A reader's recipients chunk by chunk: the readers attach it to the generator they return, and
 * `packRecipients` reads through it when it is there, with one asynchronous step per chunk read
 * instead of one per recipient. Iterating the generator itself gives the same recipients.
 */
export const recipientBlocks = Symbol('mailtrap-kit.recipientBlocks');

export type WithRecipientBlocks<T> = T & { [recipientBlocks]: () => AsyncIterable<RecipientInput[]> };

export function withRecipientBlocks<T extends object>(
  recipients: T,
  blocks: () => AsyncIterable<RecipientInput[]>,
): WithRecipientBlocks<T> {
  return Object.assign(recipients, { [recipientBlocks]: blocks });
}

/** The chunks of `recipients` when its reader attached them; undefined for any other iterable. */
export function blocksOf(recipients: unknown): AsyncIterable<RecipientInput[]> | undefined {
  const blocks = (recipients as Partial<WithRecipientBlocks<object>> | null)?.[recipientBlocks];
  return typeof blocks === 'function' ? blocks() : undefined;
}
