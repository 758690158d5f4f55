import { join } from 'node:path';
import type { ScenarioContext, ScenarioReport } from './contract.ts';
import { reportMarker } from './report-marker.ts';
import { runProcess, runtimesDirectory } from './runtimes.ts';

/** The shared entry, as Bun and Deno run it (TypeScript as is). */
export const cliEntry = join(runtimesDirectory, 'src', 'cli-entry.ts');

/**
 * Runs the scenarios with `command ...args <context JSON>` and reads the report line it prints;
 * a runtime that crashes or prints no report fails with its output.
 */
export async function runCliScenarios(
  command: string,
  args: string[],
  context: ScenarioContext,
): Promise<ScenarioReport> {
  const result = await runProcess(command, [...args, JSON.stringify(context)], { timeoutMs: 90_000 });
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith(reportMarker));
  if (result.status !== 0 || !line) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status} and no report\n${result.stdout}\n${result.stderr}`,
    );
  }
  return JSON.parse(line.slice(reportMarker.length)) as ScenarioReport;
}
