import { randomBytes } from 'node:crypto';

/** The custom_variables keys the batcher adds to every message. Users may not set them. */
export const TAG_RUN_KEY = 'mtk_run';
export const TAG_ID_KEY = 'mtk_id';

/**
 * The deterministic tag of one recipient: `{ mtk_run: runId, mtk_id: String(sequence) }`.
 * It goes into the message's `custom_variables`, shows up in Email Logs and webhook events, and is
 * how an uncertain batch is settled without re-sending. Same run id + same sequence = same tag.
 */
export function recipientTag(runId: string, sequence: number): Record<string, string> {
  // A literal of one shape (the keys are TAG_RUN_KEY and TAG_ID_KEY): computed keys would make a
  // slower, larger object for every recipient.
  return { mtk_run: runId, mtk_id: sequenceText(sequence) };
}

const lastThreeDigits = Array.from({ length: 1000 }, (_, index) => String(index).padStart(3, '0'));
const belowThousand = Array.from({ length: 1000 }, (_, index) => String(index));
let thousands = -1;
let thousandsText = '';

/**
 * A sequence number's decimal text (what `String(sequence)` gives), written without converting the
 * number itself: V8 keeps the text of recently converted numbers in a cache (up to ~16,000, held by
 * the old generation), so a new text per recipient stays reachable from it past young-generation
 * collections and is promoted, to be freed only by a full one. Sequences come in order: the
 * thousands' text is converted once per thousand.
 */
export function sequenceText(sequence: number): string {
  if (sequence < 1000) return belowThousand[sequence] ?? String(sequence);
  const high = Math.floor(sequence / 1000);
  if (high !== thousands) {
    thousands = high;
    thousandsText = String(high);
  }
  return thousandsText + lastThreeDigits[sequence - high * 1000];
}

/** Reads a tag back from a message's custom_variables; undefined when it carries none. */
export function parseRecipientTag(
  customVariables: Record<string, unknown> | null | undefined,
): { runId: string; sequence: number } | undefined {
  if (!customVariables) return undefined;
  const runId = customVariables[TAG_RUN_KEY];
  const id = customVariables[TAG_ID_KEY];
  if (typeof runId !== 'string' || typeof id !== 'string' || !/^\d+$/.test(id)) return undefined;
  return { runId, sequence: Number(id) };
}

/** A new random run id: 12 lowercase base-32 characters (small, to leave custom_variables room). */
export function createRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(12);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % 32];
  return id;
}
