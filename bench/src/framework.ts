import { MB, median, type RunMeasurement } from './measure.js';
import { runSubjectInChild, SubjectUnavailableError } from './processes.js';

export type BenchMode = 'full' | 'quick' | 'tiny';

export interface CaseContext {
  mode: BenchMode;
  /** A scratch folder for generated input files (removed after the run). */
  scratchDirectory: string;
  log(line: string): void;
}

export interface SubjectSummary {
  /** Operations per measured run (sends, sendMail calls, recipients). */
  operations: number;
  cpuPerOperationMicros: number;
  wallMs: number;
  peakRssMB: number;
  /** Peak RSS minus the RSS right before the run. */
  overheadMB: number;
  operationsPerSecond: number;
  extra: Record<string, number | string>;
}

export interface SubjectResult {
  name: string;
  label: string;
  runs: RunMeasurement[];
  summary?: SubjectSummary;
  /** Why it was not measured (package not built or not finished yet). */
  unavailable?: string;
  /** A failure while measuring. */
  error?: string;
}

export interface TargetResult {
  description: string;
  /** 'max': measured must be at most threshold; 'min': at least. */
  kind: 'max' | 'min';
  threshold: number;
  unit: 'x' | 'MB' | '%';
  measured: number | null;
  pass: boolean | null;
  /** For paired ratios: the ratio of each round, whose median is `measured`. */
  rounds?: number[];
}

export interface CaseResult {
  id: string;
  title: string;
  method: string;
  notes: string[];
  /** The subject the table's ratio columns are relative to (our package's subject). */
  reference: string;
  /** The metric the chart leads with. */
  primary: { key: MetricKey; label: string; unit: string; lowerIsBetter: boolean };
  /** A second figure shown beside each bar of the chart. */
  secondary?: { key: MetricKey; label: string; unit: string };
  subjects: SubjectResult[];
  targets: TargetResult[];
  durationMs: number;
}

export type MetricKey = keyof SubjectSummary | `extra.${string}`;

export interface BenchCase {
  id: string;
  title: string;
  run(context: CaseContext): Promise<Omit<CaseResult, 'durationMs'>>;
}

export type SubjectRunner = (settings: Record<string, unknown>) => Promise<RunMeasurement[]>;

export function summarize(runs: RunMeasurement[]): SubjectSummary {
  const extraKeys = new Set(runs.flatMap((run) => Object.keys(run.extra ?? {})));
  const extra: Record<string, number | string> = {};
  for (const key of extraKeys) {
    const values = runs.map((run) => run.extra?.[key]);
    extra[key] = values.every((value) => typeof value === 'number')
      ? median(values as number[])
      : String(values[values.length - 1]);
  }
  return {
    operations: median(runs.map((run) => run.operations)),
    cpuPerOperationMicros: median(runs.map((run) => run.cpuMicros / run.operations)),
    wallMs: median(runs.map((run) => run.wallMs)),
    peakRssMB: median(runs.map((run) => run.peakRssBytes / MB)),
    overheadMB: median(runs.map((run) => (run.peakRssBytes - run.baselineRssBytes) / MB)),
    operationsPerSecond: median(runs.map((run) => run.operations / (run.wallMs / 1000))),
    extra,
  };
}

/**
 * Measures several subjects in interleaved rounds: round r runs every subject once, each in a
 * fresh child process (warm-up, then one measured run). Interleaving spreads the noise of a
 * shared machine over every subject instead of penalising whichever ran during a busy spell.
 */
export async function measureSubjects(
  context: CaseContext,
  caseId: string,
  subjects: Array<{ name: string; label: string; settings: Record<string, unknown> }>,
  rounds: number,
): Promise<SubjectResult[]> {
  const results: SubjectResult[] = subjects.map((subject) => ({
    name: subject.name,
    label: subject.label,
    runs: [],
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [index, subject] of subjects.entries()) {
      const result = results[index]!;
      if (result.unavailable || result.error) continue;
      try {
        const runs = await runSubjectInChild(caseId, subject.name, subject.settings);
        result.runs.push(...runs);
        const last = runs[runs.length - 1];
        if (last) {
          context.log(
            `  ${caseId} round ${round + 1}/${rounds} ${subject.name}: ${(last.cpuMicros / last.operations).toFixed(1)} µs CPU/op, ` +
              `${last.wallMs.toFixed(0)} ms, peak ${(last.peakRssBytes / MB).toFixed(1)} MB`,
          );
        }
      } catch (error) {
        if (error instanceof SubjectUnavailableError) {
          result.unavailable = error.message;
          context.log(`  ${caseId} ${subject.name}: not measured: ${error.message}`);
        } else {
          result.error = error instanceof Error ? error.message : String(error);
          context.log(`  ${caseId} ${subject.name}: FAILED: ${result.error}`);
        }
      }
    }
  }
  for (const result of results) {
    if (result.runs.length > 0) result.summary = summarize(result.runs);
  }
  return results;
}

export function target(
  description: string,
  kind: 'max' | 'min',
  threshold: number,
  unit: TargetResult['unit'],
  measured: number | null | undefined,
): TargetResult {
  const value = measured === undefined || measured === null || !Number.isFinite(measured) ? null : measured;
  return {
    description,
    kind,
    threshold,
    unit,
    measured: value,
    pass: value === null ? null : kind === 'max' ? value <= threshold : value >= threshold,
  };
}

export function ratio(numerator: number | undefined, denominator: number | undefined): number | null {
  if (numerator === undefined || denominator === undefined || !(denominator > 0)) return null;
  return numerator / denominator;
}

export function subject(results: SubjectResult[], name: string): SubjectSummary | undefined {
  return results.find((result) => result.name === name)?.summary;
}

/**
 * The ratio of two subjects' CPU per operation, paired by round: subjects run one after the other
 * in each round, so the ratio within a round compares them under the same machine load; the median
 * of the per-round ratios is robust to load that drifts between rounds (a shared machine).
 */
export function pairedCpuRatio(
  results: SubjectResult[],
  numeratorName: string,
  denominatorName: string,
): { value: number | null; rounds: number[] } {
  const numerator = results.find((entry) => entry.name === numeratorName)?.runs ?? [];
  const denominator = results.find((entry) => entry.name === denominatorName)?.runs ?? [];
  const rounds: number[] = [];
  for (let index = 0; index < Math.min(numerator.length, denominator.length); index++) {
    const top = numerator[index]!;
    const bottom = denominator[index]!;
    if (bottom.cpuMicros > 0)
      rounds.push(top.cpuMicros / top.operations / (bottom.cpuMicros / bottom.operations));
  }
  return { value: rounds.length > 0 ? median(rounds) : null, rounds };
}

export function pairedTarget(
  description: string,
  kind: 'max' | 'min',
  threshold: number,
  paired: { value: number | null; rounds: number[] },
): TargetResult {
  return { ...target(description, kind, threshold, 'x', paired.value), rounds: paired.rounds };
}
