import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchMode, CaseResult } from './framework.js';
import { officialVersion } from './official.js';
import { benchDirectory, removeChildScripts } from './processes.js';
import { caseIds, loadCase } from './registry.js';
import { type BenchReport, formatMarkdownFigures, replaceFigures } from './report.js';
import { renderChart } from './svg.js';

export interface BenchOptions {
  mode: BenchMode;
  /** Case ids to run; all when empty. */
  only?: string[];
  /** Where latest.json and latest.svg go; nothing is written when null. */
  outputDirectory?: string | null;
  /** Rewrite the figures section of bench/README.md (full runs into the default folder do). */
  updateReadme?: boolean;
  log?: (line: string) => void;
}

function packageVersion(name: string): string {
  try {
    const path = join(benchDirectory, 'node_modules', ...name.split('/'), 'package.json');
    return JSON.parse(readFileSync(path, 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const selected = options.only && options.only.length > 0 ? options.only : caseIds;
  for (const id of selected) {
    if (!caseIds.includes(id)) throw new Error(`unknown case '${id}' (cases: ${caseIds.join(', ')})`);
  }
  const startedAt = new Date().toISOString();
  const scratchDirectory = mkdtempSync(join(tmpdir(), 'mailtrap-kit-bench-'));
  const cases: CaseResult[] = [];
  try {
    for (const id of selected) {
      const definition = await loadCase(id);
      log(`\n== ${definition.title} (${id})`);
      const started = Date.now();
      const result = await definition.run({ mode: options.mode, scratchDirectory, log });
      cases.push({ ...result, durationMs: Date.now() - started });
    }
  } finally {
    rmSync(scratchDirectory, { recursive: true, force: true });
    removeChildScripts();
  }
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: options.mode,
    machine: {
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      loadAverage: loadavg(),
    },
    versions: {
      mailtrap: officialVersion(),
      nodemailer: packageVersion('nodemailer'),
      undici: packageVersion('undici'),
    },
    cases,
    allTargetsPass: verdict(cases),
  };
  if (options.outputDirectory) {
    mkdirSync(options.outputDirectory, { recursive: true });
    const path = join(options.outputDirectory, 'latest.json');
    const saved = options.only && options.only.length > 0 ? withEarlierCases(report, path) : report;
    writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`);
    writeFileSync(join(options.outputDirectory, 'latest.svg'), renderChart(saved));
  }
  if (options.updateReadme) {
    const readmePath = join(benchDirectory, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const updated = replaceFigures(readme, formatMarkdownFigures(report));
    if (updated !== readme) writeFileSync(readmePath, updated);
  }
  return report;
}

/**
 * An `--only` run keeps the other cases of an earlier run of the same mode in latest.json, so
 * re-measuring one case does not throw the rest away.
 */
function withEarlierCases(report: BenchReport, path: string): BenchReport {
  let earlier: BenchReport;
  try {
    earlier = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  } catch {
    return report;
  }
  if (earlier.mode !== report.mode || !Array.isArray(earlier.cases)) return report;
  const fresh = new Map(report.cases.map((result) => [result.id, result]));
  const cases = caseIds
    .map((id) => fresh.get(id) ?? earlier.cases.find((result) => result.id === id))
    .filter((result): result is CaseResult => result !== undefined);
  return { ...report, cases, allTargetsPass: verdict(cases) };
}

function verdict(cases: CaseResult[]): boolean | null {
  const targets = cases.flatMap((result) => result.targets);
  if (targets.some((entry) => entry.pass === false)) return false;
  return targets.some((entry) => entry.pass === null) ? null : true;
}
