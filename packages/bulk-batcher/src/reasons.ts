import type { RecipientStatus } from './outcomes';

/** Recipients that did not end `sent`, grouped by state and reason. */
export interface ReasonCount {
  status: Exclude<RecipientStatus, 'sent'>;
  reason: string;
  count: number;
  /** Input lines of the first recipients with this reason (invalid rows), at most 10. */
  lines?: number[];
}

const linePrefix = /^line (\d+): /;

/**
 * The reason as a group key: without the row's line number and with quoted values (an address, a
 * field's content) left out, so "invalid email address" is one group however many rows have it.
 */
export function reasonKey(reason: string): { key: string; line?: number } {
  const match = linePrefix.exec(reason);
  const text = (match ? reason.slice(match[0].length) : reason).replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
  return match ? { key: text, line: Number(match[1]) } : { key: text };
}

/** Counts reasons as results come; `list()` gives the groups, largest first. */
export class ReasonTally {
  private readonly groups = new Map<string, ReasonCount>();
  private static readonly maxGroups = 1000;

  add(status: ReasonCount['status'], reason: string | undefined, count = 1): void {
    const { key, line } = reasonKey(reason ?? 'no reason given');
    const id = `${status}\u0000${key}`;
    let group = this.groups.get(id);
    if (!group) {
      if (this.groups.size >= ReasonTally.maxGroups) {
        this.add(status, 'other reasons', count);
        return;
      }
      group = { status, reason: key, count: 0 };
      this.groups.set(id, group);
    }
    group.count += count;
    if (line !== undefined) {
      group.lines ??= [];
      if (group.lines.length < 10) group.lines.push(line);
    }
  }

  list(): ReasonCount[] {
    return [...this.groups.values()].sort((left, right) => right.count - left.count);
  }
}
