import type { Journal, JournalItemState } from './journal';
import type { RecipientStatus, StopReason } from './outcomes';
import type { PackedBatch, PackedItem } from './packer';

/** What a run does with each item of a batch, given what the journal of an earlier run says. */
export interface BatchPlan {
  /** To send now. */
  send: PackedItem[];
  /** Final already: reported from the journal (invalid rows too). */
  known: Array<{ item: PackedItem; status: RecipientStatus; detail: string | undefined; invalid: boolean }>;
  /** In flight or uncertain when the earlier run stopped: settle through Email Logs first. */
  settle: PackedItem[];
  /** Duplicates of an earlier row: skipped. */
  duplicates: number;
  /** The batch does not match the journal (the input changed): the run must stop. */
  mismatch?: StopReason;
}

const notResent =
  'Email Logs shows no message for this recipient: never accepted; not re-sent (allow with resendUnsent / --resend-unsent)';

/**
 * Plans one packed batch: a fresh batch sends every valid item; a batch the journal knows skips what
 * ended, sends what is known unsent (and what Email Logs proved unsent, with `resendUnsent`), and
 * settles what was in flight. A batch whose fingerprint differs from the journal's is a mismatch.
 */
export function planBatch(
  batch: PackedBatch,
  journal: Journal | undefined,
  options: { resendUnsent: boolean; settle: boolean },
): BatchPlan {
  const plan: BatchPlan = { send: [], known: [], settle: [], duplicates: 0 };
  const replayed = journal?.has(batch.batch) ? journal.replay(batch.batch) : undefined;
  if (replayed?.fingerprint !== undefined && replayed.fingerprint !== batch.fingerprint) {
    plan.mismatch = {
      code: 'journal_mismatch',
      message: `batch ${batch.batch} (recipients ${batch.firstSequence}..${batch.firstSequence + batch.count - 1}) differs from the journal: the input changed since the run started`,
    };
    return plan;
  }
  for (const item of batch.items) {
    if (item.duplicate) {
      plan.duplicates += 1;
      continue;
    }
    if (item.error !== undefined) {
      plan.known.push({ item, status: 'failed', detail: item.error, invalid: true });
      continue;
    }
    const known: JournalItemState | undefined = replayed?.items.get(item.offset);
    if (!known || known.state === 'p') plan.send.push(item);
    else if (known.state === 's')
      plan.known.push({ item, status: 'sent', detail: known.messageId, invalid: false });
    else if (known.state === 'f')
      plan.known.push({ item, status: 'failed', detail: known.error, invalid: false });
    else if (known.state === 'n') {
      if (options.resendUnsent) plan.send.push(item);
      else plan.known.push({ item, status: 'unsent', detail: notResent, invalid: false });
    } else if (options.settle) plan.settle.push(item);
    else
      plan.known.push({
        item,
        status: 'uncertain',
        detail: known.state === 'u' ? known.error : 'in flight when the previous run stopped',
        invalid: false,
      });
  }
  return plan;
}
