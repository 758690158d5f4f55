import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@mailtrap-kit/emulator';
import { type Finished, useCliHarness } from './cli.test-support';
import { beforeAll, describe, expect, it } from 'vitest';

const cli = useCliHarness();
const { directory, startCli, sendArgs, readLinesOf, acceptedBySequence } = cli;
let emulator: RunningEmulator;
beforeAll(() => {
  emulator = cli.emulator;
});

/** A small seeded generator (mulberry32): the same kill points on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function journalLines(path: string): number {
  try {
    return statSync(path).size === 0 ? 0 : readFileSync(path, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

async function killWhenJournalGrows(
  path: string,
  args: string[],
  grow: number,
  extraMs: number,
): Promise<Finished> {
  const before = journalLines(path);
  const { child, finished } = startCli(args);
  let done = false;
  void finished.then(() => {
    done = true;
  });
  while (!done && journalLines(path) < before + grow) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!done) {
    await new Promise((resolve) => setTimeout(resolve, extraMs));
    child.kill('SIGKILL');
  }
  return finished;
}

describe('mailtrap-bulk survives SIGKILL', () => {
  const chains = 3;
  const killsPerChain = 7;
  for (let chain = 0; chain < chains; chain += 1) {
    it(`chain ${chain + 1}: killed ${killsPerChain} times at seeded moments, resumed, nobody accepted twice`, async () => {
      const random = seeded(20_261_127 + chain);
      const count = 800;
      const file = join(directory, `kill-${chain}.ndjson`);
      writeFileSync(
        file,
        Array.from({ length: count }, (_, index) =>
          JSON.stringify({ email: `k${chain}-${index}@example.org`, name: `K ${index}` }),
        ).join('\n'),
      );
      const journal = join(directory, `kill-${chain}.journal`);
      const results = join(directory, `kill-${chain}.results.ndjson`);
      emulator.faults.inject({ kind: 'latency', delayMs: 15, share: 1, paths: ['batch'] });
      emulator.faults.inject({ kind: 'reset_after_body', share: 0.1, paths: ['batch'] });
      emulator.faults.inject({ kind: 'server_error', status: 503, share: 0.1, paths: ['batch'] });
      const args = [
        ...sendArgs(file, [
          '--journal',
          journal,
          '--results',
          results,
          '--batch-size',
          '10',
          '--concurrency',
          '2',
        ]),
        '--settle-delay',
        '0',
        '--resend-unsent',
      ];
      let kills = 0;
      for (let kill = 0; kill < killsPerChain; kill += 1) {
        const outcome = await killWhenJournalGrows(
          journal,
          kill === 0 ? args : [...args, '--resume'],
          1 + Math.floor(random() * 8),
          Math.floor(random() * 40),
        );
        if (outcome.signal === 'SIGKILL') kills += 1;
        else expect(outcome.code, outcome.stderr).toBe(0);
      }
      expect(kills).toBe(killsPerChain);
      const final = await startCli([...args, '--resume']).finished;
      expect(final.code, final.stderr + final.stdout).toBe(0);
      expect(final.stdout).toMatch(
        new RegExp(`${count} sent, 0 failed, 0 uncertain, 0 unsent, of ${count} recipients`),
      );

      const runId = (JSON.parse(readFileSync(journal, 'utf8').split('\n')[0]!) as { runId: string }).runId;
      const accepted = acceptedBySequence(runId);
      const twice = [...accepted].filter(([, ids]) => ids.length > 1);
      expect(twice).toEqual([]);
      expect(accepted.size).toBe(count);
      const lines = readLinesOf(results);
      expect(lines).toHaveLength(count);
      const ids = new Set([...accepted.values()].map((list) => list[0]));
      for (const line of lines) {
        expect(line.status).toBe('sent');
        expect(ids.has(line.message_id!)).toBe(true);
      }
    }, 150_000);
  }
});
