// `pnpm bench` (from the root: `npm run bench`). Flags: --quick, --only <case[,case]>, --strict, --out <dir>.
import { join } from 'node:path';
import { runBench } from './bench.js';
import type { BenchMode } from './framework.js';
import { benchDirectory } from './processes.js';
import { caseIds } from './registry.js';
import { formatTable } from './report.js';

const usage = `usage: pnpm bench [--quick] [--only <case>[,<case>...]] [--strict] [--out <dir>]
  --quick    smaller runs (about 2 minutes instead of about 10)
  --only     run only these cases: ${caseIds.join(', ')}
  --strict   exit 1 when a target is missed or could not be measured
  --out      where latest.json and latest.svg are written (default: bench/results)`;

function parseArguments(argv: string[]) {
  let mode: BenchMode = 'full';
  let strict = false;
  const only: string[] = [];
  let outputDirectory = join(benchDirectory, 'results');
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') continue;
    if (argument === '--quick') mode = 'quick';
    else if (argument === '--tiny') mode = 'tiny';
    else if (argument === '--strict') strict = true;
    else if (argument === '--only' || argument.startsWith('--only=')) {
      const value = argument.includes('=') ? argument.slice('--only='.length) : argv[++index];
      if (!value) throw new Error('--only needs a case name');
      only.push(...value.split(',').filter(Boolean));
    } else if (argument === '--out' || argument.startsWith('--out=')) {
      const value = argument.includes('=') ? argument.slice('--out='.length) : argv[++index];
      if (!value) throw new Error('--out needs a directory');
      outputDirectory = value;
    } else if (argument === '--help' || argument === '-h') {
      console.log(usage);
      process.exit(0);
    } else {
      throw new Error(`unknown argument '${argument}'\n${usage}`);
    }
  }
  return { mode, strict, only, outputDirectory };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const defaultOutput = options.outputDirectory === join(benchDirectory, 'results');
  // Only a full run of every case into the default folder speaks for the README's figures.
  const updateReadme = options.mode === 'full' && options.only.length === 0 && defaultOutput;
  const report = await runBench({ ...options, updateReadme });
  console.log(`\n${formatTable(report)}`);
  console.log(`\nresults: ${join(options.outputDirectory, 'latest.json')} and latest.svg`);
  if (options.strict && report.allTargetsPass !== true) {
    console.error('--strict: a target was missed or could not be measured');
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
