import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from './bench.js';
import type { CaseResult } from './framework.js';
import type { BenchReport } from './report.js';
import { formatTable } from './report.js';

// Runs every case in the tiny mode (a few hundred sends, small files) to prove the harness still
// works end to end and produces numbers. Timings are never asserted: the machine is shared.

let output: string;
let report: BenchReport;
const lines: string[] = [];

beforeAll(async () => {
  output = mkdtempSync(join(tmpdir(), 'mailtrap-kit-bench-test-'));
  report = await runBench({ mode: 'tiny', outputDirectory: output, log: (line) => lines.push(line) });
}, 600_000);

afterAll(() => {
  rmSync(output, { recursive: true, force: true });
});

function caseResult(id: string): CaseResult {
  const result = report.cases.find((entry) => entry.id === id);
  if (!result) throw new Error(`case ${id} missing from the report`);
  return result;
}

/** What each case puts side by side. */
const expectedSubjects: Record<string, string[]> = {
  'single-send': ['undici', 'core', 'official', 'fetch', 'core-fetch', 'bun', 'deno', 'workerd'],
  nodemailer: ['floor', 'ours', 'official'],
  'rate-limit': ['ours', 'official'],
  bulk: [
    'batcher-2000',
    'batcher-5000',
    'batcher-merge-2000',
    'batcher-merge-5000',
    'naive-2000',
    'naive-5000',
    'naive-merge-5000',
  ],
  'bulk-bullmq': ['workers-1', 'workers-2', 'workers-4'],
  attachment: ['undici', 'core', 'official'],
  'emulator-ingest': ['api-floor', 'api', 'api-data-dir', 'smtp-floor', 'smtp', 'smtp-data-dir'],
};

describe('pnpm bench in tiny mode', () => {
  it('runs every case and measures every subject, ours and theirs', () => {
    expect(report.cases.map((entry) => entry.id)).toEqual([
      'single-send',
      'nodemailer',
      'rate-limit',
      'bulk',
      'bulk-bullmq',
      'attachment',
      'emulator-ingest',
    ]);
    for (const result of report.cases) {
      for (const entry of result.subjects) {
        const name = `${result.id}/${entry.name}`;
        // A package whose build or exports changed shows up here, so the bench cannot rot silently.
        expect(entry.unavailable, `${name}: ${entry.unavailable}`).toBeUndefined();
        expect(entry.error, `${name}: ${entry.error}`).toBeUndefined();
        expect(entry.runs.length, name).toBeGreaterThan(0);
        expect(entry.summary?.wallMs, name).toBeGreaterThan(0);
        expect(entry.summary?.cpuPerOperationMicros, name).toBeGreaterThan(0);
        expect(entry.summary?.peakRssMB, name).toBeGreaterThan(10);
      }
    }
  });

  it('gives every target a measured value and a verdict', () => {
    for (const result of report.cases) {
      for (const entry of result.targets) {
        expect(entry.measured, `${result.id}: ${entry.description}`).not.toBeNull();
        expect(typeof entry.pass, `${result.id}: ${entry.description}`).toBe('boolean');
      }
    }
  });

  it('puts our package, the official client and the floor side by side in each case', () => {
    for (const [id, names] of Object.entries(expectedSubjects)) {
      expect(caseResult(id).subjects.map((entry) => entry.name)).toEqual(names);
    }
    const bulk = caseResult('bulk');
    expect(bulk.subjects.map((entry) => entry.summary?.operations)).toEqual([
      2000, 5000, 2000, 5000, 2000, 5000, 5000,
    ]);
    expect(bulk.subjects.map((entry) => entry.summary?.extra.sent)).toEqual([
      2000, 5000, 2000, 5000, 2000, 5000, 5000,
    ]);
    const queued = caseResult('bulk-bullmq');
    expect(queued.subjects.map((entry) => entry.summary?.operations)).toEqual([6000, 6000, 6000]);
    for (const entry of queued.subjects)
      expect(entry.summary?.extra.redisCommandsPerRecipient).toBeGreaterThan(0);
    // Bun, Deno and workerd resolve core's fetch build (its export conditions), not undici.
    const runtimes = caseResult('single-send').subjects.filter((entry) =>
      ['bun', 'deno', 'workerd'].includes(entry.name),
    );
    expect(runtimes.map((entry) => entry.summary?.extra.transport)).toEqual(['fetch', 'fetch', 'fetch']);
    const rateLimit = caseResult('rate-limit');
    for (const entry of rateLimit.subjects) expect(entry.summary?.extra.delivered).toBeGreaterThan(0);
  });

  it('states a method for every case and judges every target by its threshold', () => {
    for (const result of report.cases) {
      expect(result.method.length).toBeGreaterThan(40);
      expect(result.targets.length).toBeGreaterThan(0);
      for (const entry of result.targets) {
        if (entry.measured === null) continue;
        expect(entry.pass).toBe(
          entry.kind === 'max' ? entry.measured <= entry.threshold : entry.measured >= entry.threshold,
        );
      }
    }
  });

  it('writes latest.json and latest.svg, and prints a table', () => {
    const saved = JSON.parse(readFileSync(join(output, 'latest.json'), 'utf8')) as BenchReport;
    expect(saved.mode).toBe('tiny');
    expect(saved.cases).toHaveLength(report.cases.length);
    const svg = readFileSync(join(output, 'latest.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('core: CPU per single send');
    const table = formatTable(report);
    expect(table).toContain('targets:');
    expect(table).toMatch(/PASS|MISS|N\/A/);
  });
});
