// The entry Bun, Deno and Node run: the scenario context as the one argument (JSON), the report
// on stdout as one line after a marker, so whatever else a runtime prints does not get in the way.
import type { ScenarioContext } from './contract.ts';
import { reportMarker } from './report-marker.ts';
import { runScenarios } from './scenarios.ts';

interface RuntimeGlobals {
  Deno?: { args: string[] };
  process?: { argv: string[] };
}

const runtimeGlobals = globalThis as RuntimeGlobals;
const args = runtimeGlobals.Deno?.args ?? runtimeGlobals.process?.argv.slice(2) ?? [];
if (!args[0]) throw new Error('usage: <runtime> cli-entry.ts <scenario context JSON>');
const report = await runScenarios(JSON.parse(args[0]) as ScenarioContext);
console.log(`${reportMarker}${JSON.stringify(report)}`);
