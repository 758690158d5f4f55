export interface SummaryRow {
  adapter: string;
  sent?: number;
  failed?: number;
  timeMs?: number;
  note?: string;
}

/** A plain-text table: adapter, messages sent, failures, time, and a note column when any row has one. */
export function formatTable(rows: SummaryRow[]): string {
  const header = ['adapter', 'messages sent', 'failures', 'time'];
  const cells = rows.map((row) => [
    row.adapter,
    row.sent === undefined ? '-' : row.sent.toLocaleString('en-US'),
    row.failed === undefined ? '-' : String(row.failed),
    row.timeMs === undefined ? '-' : `${(row.timeMs / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]!.length)),
  );
  const format = (line: string[], note = '') =>
    line
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ') + (note ? `  ${note}` : '');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [format(header), rule, ...cells.map((line, index) => format(line, rows[index]!.note))].join('\n');
}

/** The rows plus a `total` row over the examples that ran. */
export function withTotal(rows: SummaryRow[]): SummaryRow[] {
  const ran = rows.filter((row) => row.sent !== undefined);
  const sum = (pick: (row: SummaryRow) => number | undefined) =>
    ran.reduce((total, row) => total + (pick(row) ?? 0), 0);
  return [
    ...rows,
    {
      adapter: 'total',
      sent: sum((row) => row.sent),
      failed: sum((row) => row.failed),
      timeMs: sum((row) => row.timeMs),
    },
  ];
}
