import { displayWidth } from './table';

/** One bar of {@link formatBarChart}. */
export interface Bar {
  label: string;
  value: number;
}

const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max` of `width` cells, in Unicode block eighths. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0)) return '';
  const cells = Math.max(1 / 8, (value / max) * width);
  const full = Math.floor(cells);
  const rest = Math.round((cells - full) * 8);
  return '█'.repeat(full) + (rest === 8 ? '█' : eighths[rest]!);
}

/**
 * A horizontal bar chart in Unicode blocks: one line per bar, `label  ████▌ value`. `width` is the
 * whole line's (a terminal's columns); bars scale to the largest value.
 */
export function formatBarChart(
  bars: readonly Bar[],
  options: { width?: number; unit?: string } = {},
): string {
  if (bars.length === 0) return '(no data)\n';
  const labelWidth = Math.min(32, Math.max(...bars.map((entry) => displayWidth(entry.label))));
  const values = bars.map((entry) => `${entry.value.toLocaleString('en-US')}${options.unit ?? ''}`);
  const valueWidth = Math.max(...values.map((value) => value.length));
  const barWidth = Math.max(10, Math.min(60, (options.width ?? 80) - labelWidth - valueWidth - 4));
  const max = Math.max(...bars.map((entry) => entry.value));
  return `${bars
    .map((entry, index) => {
      let label = entry.label;
      while (displayWidth(label) > labelWidth) label = `${[...label].slice(0, -2).join('')}…`;
      label += ' '.repeat(labelWidth - displayWidth(label));
      const drawn = bar(entry.value, max, barWidth);
      return `${label}  ${drawn}${' '.repeat(barWidth - displayWidth(drawn) + 1)}${values[index]!.padStart(valueWidth)}`;
    })
    .join('\n')}\n`;
}
