import { BulkInputError } from './errors';
import { summarizeJournal } from './journal';

export interface StatusOptions {
  journal: string;
  json: boolean;
}

/** Checks `mailtrap-bulk status` options (after commander). Throws BulkInputError naming the option. */
export function statusOptionsFrom(
  flags: { journal?: string; json?: boolean },
  campaign: string | undefined,
): StatusOptions {
  if (campaign !== undefined)
    throw new BulkInputError(
      `${JSON.stringify(campaign)} looks like a campaign id: a @mailtrap-kit/bulk-bullmq campaign's status is \`mailtrap-bulk-bullmq status ${campaign}\`; a mailtrap-bulk send run's is \`mailtrap-bulk status --journal <file>\``,
      'campaign',
    );
  if (flags.journal === undefined)
    throw new BulkInputError(
      'status needs --journal <file> (the journal of a mailtrap-bulk send run)',
      'journal',
    );
  return { journal: flags.journal, json: flags.json === true };
}

function line(label: string, value: number | string): string {
  return `  ${`${label}:`.padEnd(12)}${value}`;
}

/** `mailtrap-bulk status --journal`: the text to print; throws BulkInputError / BulkJournalError on bad input. */
export function statusCommand(options: StatusOptions, command = 'mailtrap-bulk'): string {
  const summary = summarizeJournal(options.journal);
  if (options.json) return JSON.stringify(summary);
  const lines = [
    `run ${summary.runId} (journal ${summary.path}, started ${summary.startedAt}${summary.finished ? ', finished' : ''})`,
    line('recipients', summary.recipients ?? `? (${summary.batches} batches recorded)`),
    line('sent', summary.sent),
    line('failed', summary.failed),
    line('uncertain', summary.uncertain),
    line('in flight', `${summary.inFlight} (when the process stopped; settled through Email Logs on resume)`),
    line(
      'unsent',
      `${summary.unsent}${summary.unsentByEmailLogs ? ` (${summary.unsentByEmailLogs} proven unsent by Email Logs: re-sent only with --resend-unsent)` : ''}`,
    ),
  ];
  if (summary.recipients === undefined && !summary.finished)
    lines.push(
      '  (recipients after the last batch shown are not counted: the journal does not know how many there are)',
    );
  if (!summary.finished && summary.unsent + summary.inFlight + summary.uncertain > 0)
    lines.push(`Resume: run the same ${command} send command with --journal ${summary.path} --resume`);
  return lines.join('\n');
}
