import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { runtimesDirectory } from './runtimes.ts';

/** The folder of the runtime examples core's README shows. */
export const examplesDirectory = join(runtimesDirectory, 'readme');
export const coreReadme = join(runtimesDirectory, '..', '..', 'packages', 'core', 'README.md');

const fences: Record<string, string> = { '.ts': 'ts', '.mjs': 'js' };

export interface ReadmeExample {
  file: string;
  path: string;
  /** The file's text, which the README must show verbatim. */
  code: string;
}

export function readmeExamples(): ReadmeExample[] {
  return readdirSync(examplesDirectory)
    .filter((file) => extname(file) in fences)
    .sort()
    .map((file) => {
      const path = join(examplesDirectory, file);
      return { file, path, code: readFileSync(path, 'utf8') };
    });
}

/**
 * The code block the README shows for an example: the fence right after the line
 * `<!-- example: testing/runtimes/readme/<file> -->`, or undefined when there is none.
 */
export function readmeBlock(readme: string, file: string): string | undefined {
  const marker = `<!-- example: testing/runtimes/readme/${file} -->\n`;
  const start = readme.indexOf(marker);
  if (start < 0) return undefined;
  const fence = `\`\`\`${fences[extname(file)]}\n`;
  const after = readme.slice(start + marker.length);
  if (!after.startsWith(fence)) return undefined;
  const end = after.indexOf('\n```', fence.length - 1);
  return end < 0 ? undefined : after.slice(fence.length, end + 1);
}

/** A `deno run` command of the README pointed at the emulator: its endpoint and permission lists. */
export interface ReadmeDenoCommand {
  endpoint: string;
  allowNet: string[];
  allowEnv: string[];
}

/** The README's `MAILTRAP_ENDPOINT=<url> deno run ... send.ts` line, or undefined when there is none. */
export function readmeDenoEmulatorCommand(readme: string): ReadmeDenoCommand | undefined {
  const line = readme.split('\n').find((candidate) => /^MAILTRAP_ENDPOINT=\S+ deno run /.test(candidate));
  if (line === undefined) return undefined;
  const flag = (name: string) =>
    (new RegExp(`--${name}=(\\S+)`).exec(line)?.[1] ?? '').split(',').filter(Boolean);
  return {
    endpoint: line.split(' ')[0]!.slice('MAILTRAP_ENDPOINT='.length),
    allowNet: flag('allow-net'),
    allowEnv: flag('allow-env'),
  };
}
