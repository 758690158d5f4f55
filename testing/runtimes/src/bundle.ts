import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { workerBundleOptions } from '../../../scripts/runtimes.mjs';
import { runtimesDirectory } from './runtimes.ts';

const source = (name: string) => join(runtimesDirectory, 'src', name);

/**
 * The shared entry as Node runs it: TypeScript stripped, our files in one module, every package
 * left to Node's own resolution (core's `node` condition, its built `dist`).
 */
export async function bundleForNode(): Promise<string> {
  const outfile = join(runtimesDirectory, '.build', 'cli-entry.mjs');
  await build({
    entryPoints: [source('cli-entry.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  return outfile;
}

export interface WorkerBundle {
  code: string;
  /** Every input file of the bundle, to show what got in (no undici, no Node built-in). */
  inputs: string[];
}

/**
 * A Worker module as wrangler builds one (`workerBundleOptions`): a `node:` import or undici in
 * core's Workers build fails the bundle.
 */
export async function bundleForWorkerd(entry: string): Promise<WorkerBundle> {
  const result = await build({
    ...workerBundleOptions,
    conditions: [...workerBundleOptions.conditions],
    mainFields: [...workerBundleOptions.mainFields],
    entryPoints: [entry],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote no bundle for ${entry}`);
  return { code: output.text, inputs: Object.keys((result.metafile as Metafile).inputs) };
}
