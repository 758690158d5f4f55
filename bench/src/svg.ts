// A small SVG writer for the results chart: one panel per case, one bar per subject for the
// case's leading metric, the targets listed under the bars. No browser or canvas needed.
import type { CaseResult } from './framework.js';
import { type BenchReport, formatNumber, formatTarget, metricValue } from './report.js';

const width = 960;
const labelWidth = 330;
const barArea = width - labelWidth - 290;
const colors = ['#2b6cb0', '#38a169', '#d69e2e', '#c53030', '#6b46c1'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function panel(result: CaseResult, top: number): { svg: string; height: number } {
  const parts: string[] = [];
  let y = top + 22;
  parts.push(`<text x="16" y="${y}" class="title">${escapeXml(result.title)}</text>`);
  const direction = result.primary.lowerIsBetter ? 'lower is better' : 'higher is better';
  parts.push(
    `<text x="${width - 16}" y="${y}" class="muted" text-anchor="end">${escapeXml(`${result.primary.label} (${result.primary.unit}), ${direction}`)}</text>`,
  );
  y += 12;
  const values = result.subjects.map((entry) => metricValue(entry.summary, result.primary.key));
  const maximum = Math.max(...values.map((value) => value ?? 0), 1e-9);
  for (const [index, entry] of result.subjects.entries()) {
    const value = values[index];
    const barY = y + 8;
    parts.push(`<text x="16" y="${barY + 14}" class="label">${escapeXml(entry.label)}</text>`);
    if (value === undefined) {
      parts.push(`<text x="${labelWidth}" y="${barY + 14}" class="muted">not measured</text>`);
    } else {
      const barWidth = Math.max(2, (value / maximum) * barArea);
      parts.push(
        `<rect x="${labelWidth}" y="${barY}" width="${barWidth.toFixed(1)}" height="20" rx="3" fill="${colors[index % colors.length]}"/>`,
      );
      const secondary = result.secondary ? metricValue(entry.summary, result.secondary.key) : undefined;
      const secondaryText =
        result.secondary && secondary !== undefined
          ? `  (${result.secondary.label} ${formatNumber(secondary, 0)} ${result.secondary.unit})`
          : '';
      parts.push(
        `<text x="${(labelWidth + barWidth + 8).toFixed(1)}" y="${barY + 14}" class="value">${escapeXml(`${formatNumber(value)} ${result.primary.unit}`)}<tspan class="muted">${escapeXml(secondaryText)}</tspan></text>`,
      );
    }
    y += 28;
  }
  y += 8;
  for (const targetResult of result.targets) {
    y += 18;
    const cls = targetResult.pass === null ? 'muted' : targetResult.pass ? 'pass' : 'miss';
    parts.push(`<text x="16" y="${y}" class="${cls}">${escapeXml(formatTarget(targetResult))}</text>`);
  }
  y += 14;
  parts.push(`<line x1="16" x2="${width - 16}" y1="${y}" y2="${y}" class="rule"/>`);
  return { svg: parts.join('\n'), height: y - top };
}

export function renderChart(report: BenchReport): string {
  const panels: string[] = [];
  let y = 44;
  for (const result of report.cases) {
    const { svg, height } = panel(result, y);
    panels.push(svg);
    y += height;
  }
  const height = y + 16;
  const heading =
    `mailtrap-kit bench (${report.mode}), ${report.finishedAt.slice(0, 16).replace('T', ' ')} UTC, Node ${report.machine.node}, ` +
    `${report.machine.cpus} CPUs, load average ${report.machine.loadAverage[0]?.toFixed(1)} at the end`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '<style>.title{font-size:16px;font-weight:bold;fill:#1a202c}.label{font-size:13px;fill:#2d3748}' +
      '.value{font-size:13px;fill:#1a202c}.muted{font-size:12px;fill:#718096}.pass{font-size:12px;fill:#276749}' +
      '.miss{font-size:12px;fill:#c53030;font-weight:bold}.rule{stroke:#e2e8f0}.heading{font-size:14px;fill:#4a5568}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" class="heading">${escapeXml(heading)}</text>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
