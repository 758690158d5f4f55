import type { CaseResult, MetricKey, SubjectResult, SubjectSummary, TargetResult } from './framework.js';

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  mode: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; loadAverage: number[] };
  versions: Record<string, string>;
  cases: CaseResult[];
  /** true when every target passed, false when one missed, null when one could not be measured. */
  allTargetsPass: boolean | null;
}

export function metricValue(summary: SubjectSummary | undefined, key: MetricKey): number | undefined {
  if (!summary) return undefined;
  if (key.startsWith('extra.')) {
    const value = summary.extra[key.slice('extra.'.length)];
    return typeof value === 'number' ? value : undefined;
  }
  const value = summary[key as keyof SubjectSummary];
  return typeof value === 'number' ? value : undefined;
}

export function formatNumber(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 10_000 || (digits === 0 && Number.isInteger(value)))
    return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

export function formatTarget(targetResult: TargetResult): string {
  const sign = targetResult.kind === 'max' ? '<=' : '>=';
  const unit = targetResult.unit;
  const measured =
    targetResult.measured === null
      ? 'not measured'
      : unit === 'x'
        ? `${targetResult.measured.toFixed(2)}x`
        : unit === '%'
          ? `${targetResult.measured.toFixed(1)}%`
          : `${targetResult.measured.toFixed(1)} MB`;
  const threshold =
    unit === 'x'
      ? `${targetResult.threshold}x`
      : unit === '%'
        ? `${targetResult.threshold}%`
        : `${targetResult.threshold} MB`;
  const verdict = targetResult.pass === null ? 'N/A ' : targetResult.pass ? 'PASS' : 'MISS';
  const rounds =
    targetResult.rounds && targetResult.rounds.length > 1
      ? `; median of per-round ratios ${targetResult.rounds.map((value) => value.toFixed(2)).join(', ')}`
      : '';
  return `${verdict}  ${targetResult.description}: ${measured} (target ${sign} ${threshold}${rounds})`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function ratioText(value: number | undefined, reference: number | undefined): string {
  if (value === undefined || reference === undefined || !(reference > 0)) return '-';
  return `${(value / reference).toFixed(2)}x`;
}

/** The readable table printed at the end of a run. */
export function formatTable(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `mailtrap-kit bench (${report.mode}) - Node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel}), ` +
      `load ${report.machine.loadAverage.map((load) => load.toFixed(2)).join(' ')}`,
  );
  for (const result of report.cases) {
    lines.push('');
    lines.push(`== ${result.title}  [${(result.durationMs / 1000).toFixed(0)} s]`);
    lines.push(`   method: ${result.method}`);
    for (const note of result.notes) lines.push(`   note: ${note}`);
    const reference = result.subjects.find((entry) => entry.name === result.reference)?.summary;
    const header =
      `   ${pad('subject', 46)}${pad('ops/run', 10, true)}${pad('CPU/op µs', 11, true)}${pad('wall ms', 10, true)}` +
      `${pad('ops/s', 10, true)}${pad('peak MB', 9, true)}${pad('+MB', 8, true)}` +
      `${pad('CPU x', 8, true)}${pad('wall x', 8, true)}${pad('peak x', 8, true)}`;
    lines.push(header);
    for (const entry of result.subjects) lines.push(subjectRow(entry, reference));
    if (reference)
      lines.push(
        `   (ratios relative to ${result.subjects.find((entry) => entry.name === result.reference)?.label})`,
      );
    for (const entry of result.subjects) {
      const extra = entry.summary?.extra;
      if (extra && Object.keys(extra).length > 0) {
        const text = Object.entries(extra)
          .map(
            ([key, value]) =>
              `${key}=${typeof value === 'number' ? formatNumber(value, Number.isInteger(value) ? 0 : 2) : value}`,
          )
          .join(', ');
        lines.push(`   ${entry.name}: ${text}`);
      }
    }
    for (const targetResult of result.targets) lines.push(`   ${formatTarget(targetResult)}`);
  }
  lines.push('');
  const all = report.cases.flatMap((result) => result.targets);
  const passed = all.filter((entry) => entry.pass === true).length;
  const missed = all.filter((entry) => entry.pass === false).length;
  const unmeasured = all.filter((entry) => entry.pass === null).length;
  lines.push(`targets: ${passed} PASS, ${missed} MISS, ${unmeasured} not measured`);
  return lines.join('\n');
}

function subjectRow(entry: SubjectResult, reference: SubjectSummary | undefined): string {
  const name = `   ${pad(entry.label.slice(0, 45), 46)}`;
  if (!entry.summary) {
    const why = entry.unavailable
      ? `not measured: ${entry.unavailable}`
      : `FAILED: ${entry.error ?? 'no runs'}`;
    return `${name}${why.split('\n')[0]!.slice(0, 120)}`;
  }
  const summary = entry.summary;
  return (
    name +
    pad(formatNumber(summary.operations, 0), 10, true) +
    pad(formatNumber(summary.cpuPerOperationMicros), 11, true) +
    pad(formatNumber(summary.wallMs, 0), 10, true) +
    pad(formatNumber(summary.operationsPerSecond, 0), 10, true) +
    pad(formatNumber(summary.peakRssMB), 9, true) +
    pad(formatNumber(summary.overheadMB), 8, true) +
    pad(ratioText(summary.cpuPerOperationMicros, reference?.cpuPerOperationMicros), 8, true) +
    pad(ratioText(summary.wallMs, reference?.wallMs), 8, true) +
    pad(ratioText(summary.peakRssMB, reference?.peakRssMB), 8, true)
  );
}

/** The figures table of the README (between its `figures` markers), written by full runs. */
export function formatMarkdownFigures(report: BenchReport): string {
  const lines: string[] = [];
  const load = report.machine.loadAverage.map((value) => value.toFixed(1)).join(' / ');
  lines.push(
    `\`pnpm bench\` (${report.mode} mode), ${report.finishedAt.slice(0, 16).replace('T', ' ')} UTC: ${report.machine.cpus} CPUs ` +
      `(${report.machine.cpuModel}), Node ${report.machine.node}, mailtrap ${report.versions.mailtrap}, ` +
      `Nodemailer ${report.versions.nodemailer}, undici ${report.versions.undici}; load average at the end ${load} ` +
      '(1 / 5 / 15 min). On a shared machine absolute times are noisy; the ratios compare subjects measured side by side.',
  );
  lines.push('');
  lines.push('| case | target | measured | verdict |');
  lines.push('|---|---|---|---|');
  for (const result of report.cases) {
    for (const entry of result.targets) {
      const text = formatTarget(entry);
      const measured = /: ([^:]+) \(target/.exec(text)?.[1] ?? 'not measured';
      const sign = entry.kind === 'max' ? '≤' : '≥';
      const unit = entry.unit === 'MB' ? ' MB' : entry.unit;
      const verdict = entry.pass === null ? 'not measured' : entry.pass ? 'PASS' : '**MISS**';
      lines.push(
        `| ${result.title}: ${entry.description} | ${sign} ${entry.threshold}${unit} | ${measured} | ${verdict} |`,
      );
    }
  }
  lines.push('');
  lines.push('| case | subject | per run | CPU per op | wall | peak RSS | overhead |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const result of report.cases) {
    for (const entry of result.subjects) {
      const summary = entry.summary;
      if (!summary) {
        lines.push(`| ${result.id} | ${entry.label} | not measured | | | | |`);
        continue;
      }
      lines.push(
        `| ${result.id} | ${entry.label} | ${formatNumber(summary.operations, 0)} | ${formatNumber(summary.cpuPerOperationMicros)} µs | ` +
          `${formatNumber(summary.wallMs, 0)} ms | ${formatNumber(summary.peakRssMB)} MB | ${formatNumber(summary.overheadMB)} MB |`,
      );
    }
  }
  return lines.join('\n');
}

const figuresStart = '<!-- figures:start -->';
const figuresEnd = '<!-- figures:end -->';

/** Replaces the README's figures section; returns the README unchanged when it has no markers. */
export function replaceFigures(readme: string, figures: string): string {
  const start = readme.indexOf(figuresStart);
  const end = readme.indexOf(figuresEnd);
  if (start === -1 || end === -1 || end < start) return readme;
  return `${readme.slice(0, start + figuresStart.length)}\n${figures}\n${readme.slice(end)}`;
}
