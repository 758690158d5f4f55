import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join, relative, sep } from 'node:path';

export interface InvocationContext {
  env: Record<string, string | undefined>;
  /** The script Node runs (`process.argv[1]`). */
  script: string | undefined;
  cwd: string;
}

function sameFile(left: string, right: string): boolean {
  try {
    return realpathSync(left) === realpathSync(right);
  } catch {
    return false;
  }
}

/**
 * The command that starts `mailtrap-bulk` again the way it was started this time, so a printed resume
 * command runs as printed: through npx / npm exec, pnpm exec, yarn or bunx when a package manager
 * started it, `mailtrap-bulk` when that name on the PATH is this script, else the script's path.
 */
export function invocation(context: InvocationContext, bin = 'mailtrap-bulk'): string {
  const { env, script, cwd } = context;
  const agent = env.npm_config_user_agent ?? '';
  const local = script?.includes(`${sep}node_modules${sep}`) === true;
  if (agent.startsWith('pnpm')) return `pnpm exec ${bin}`;
  if (agent.startsWith('yarn')) return `yarn ${bin}`;
  if (agent.startsWith('bun')) return `bunx ${bin}`;
  if (agent.startsWith('npm') && env.npm_command === 'exec')
    return local && script!.startsWith(cwd)
      ? `npx ${bin}`
      : `npx --package @mailtrap-kit/bulk-batcher ${bin}`;
  if (script) {
    for (const directory of (env.PATH ?? '').split(delimiter)) {
      if (!directory) continue;
      const candidate = join(directory, bin);
      if (existsSync(candidate) && sameFile(candidate, script)) return bin;
    }
    const path = relative(cwd, script);
    const shown = path.startsWith('..') || path === '' ? script : `.${sep}${path}`;
    return /\.(ts|mts|cts)$/.test(script)
      ? `node --import tsx ${shown}`
      : shown.endsWith('.js')
        ? `node ${shown}`
        : shown;
  }
  return bin;
}
