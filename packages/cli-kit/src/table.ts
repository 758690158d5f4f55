/** One column of {@link formatTable}: a heading and how to show a row's value. */
export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => unknown;
  /** Right-align (numbers). */
  align?: 'left' | 'right';
}

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\s*\n\s*/g, ' ');
}

/** Display width of a string (wide CJK and emoji count two, combining marks none). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (/\p{Mark}/u.test(character) || code === 0x200d) continue;
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(
        character,
      )
        ? 2
        : 1;
  }
  return width;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Rows as an aligned plain-text table (header, then one line per row), the shape `kubectl get`
 * and `docker ps` print: easy to read and to grep. An empty list prints `empty` instead.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  empty = '(none)',
): string {
  if (rows.length === 0) return `${empty}\n`;
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[index]!))),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => pad(value, widths[index]!, columns[index]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((column) => column.header.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

/** Key-value lines (`name: value`), aligned, for one record (`domains show`). */
export function formatFields(fields: ReadonlyArray<readonly [string, unknown]>): string {
  const width = Math.max(...fields.map(([name]) => displayWidth(name)));
  return `${fields.map(([name, value]) => `${pad(`${name}:`, width + 1, 'left')} ${cell(value)}`).join('\n')}\n`;
}
