import type { ReasonCount } from './reasons';
import type { BulkRunSummary } from './run';

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The failures of a run, grouped by reason, for the terminal. */
export function formatReasons(reasons: readonly ReasonCount[], limit = 10): string[] {
  if (reasons.length === 0) return [];
  const lines = ['Not sent, by reason:'];
  for (const group of reasons.slice(0, limit)) {
    const where = group.lines?.length
      ? ` (line${group.lines.length > 1 ? 's' : ''} ${group.lines.join(', ')}${group.count > group.lines.length ? ', …' : ''})`
      : '';
    lines.push(`  ${String(group.count).padStart(7)} ${group.status}: ${group.reason}${where}`);
  }
  if (reasons.length > limit) {
    const rest = reasons.slice(limit).reduce((sum, group) => sum + group.count, 0);
    lines.push(
      `  ${String(rest).padStart(7)} more, for ${reasons.length - limit} other reasons (see --results)`,
    );
  }
  return lines;
}

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The counts of a run, the same ones as the bar: the recipients to send (valid rows) by state, then
 * the rows that were never to be sent (invalid, duplicates), as the whole file's check found them.
 */
export function countsLine(summary: BulkRunSummary, check: BulkRunSummary): string {
  const skipped: string[] = [];
  if (check.invalid > 0) skipped.push(plural(check.invalid, 'invalid row'));
  if (check.duplicates > 0) skipped.push(plural(check.duplicates, 'duplicate row'));
  return `${summary.sent} sent, ${summary.failed - summary.invalid} failed, ${summary.uncertain} uncertain, ${summary.unsent} unsent, of ${check.total} recipients${skipped.length ? `; ${skipped.join(' and ')} not sent` : ''}`;
}
