// Bun, Deno and workerd as the runtime smoke tests (testing/runtimes) and the bench use them:
// Bun and Deno from their npm packages, whose postinstall links the binary of the platform package
// (an optional dependency; pnpm-workspace.yaml's onlyBuiltDependencies lets the postinstall run),
// workerd through miniflare. Plain JavaScript, so a bench child process imports it without tsx.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function installedBinary(workspaceDirectory, name, relativePath) {
  const require = createRequire(join(workspaceDirectory, 'package.json'));
  const binary = join(dirname(require.resolve(`${name}/package.json`)), relativePath);
  if (!existsSync(binary)) {
    throw new Error(
      `${name}'s binary is missing at ${binary}: its postinstall did not run (pnpm-workspace.yaml's onlyBuiltDependencies must list ${name})`,
    );
  }
  return binary;
}

/** The Bun binary of the `bun` npm package installed in a workspace. */
export const bunBinary = (workspaceDirectory) => installedBinary(workspaceDirectory, 'bun', 'bin/bun.exe');

/** The Deno binary of the `deno` npm package installed in a workspace. */
export const denoBinary = (workspaceDirectory) => installedBinary(workspaceDirectory, 'deno', 'deno');

/**
 * esbuild options that bundle a Worker module as wrangler does: everything bundled, resolved with
 * the `workerd`, `worker` and `browser` conditions, for a platform without Node's built-ins (no
 * `nodejs_compat`), so a `node:` import or undici in a package's Workers build fails the bundle.
 */
export const workerBundleOptions = Object.freeze({
  bundle: true,
  conditions: ['workerd', 'worker', 'browser'],
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'es2022',
  keepNames: true,
});

/** The date the Workers runtime behaves as of; not after the installed workerd's own date. */
export const compatibilityDate = '2026-07-01';

/**
 * Miniflare options for a Worker as Cloudflare runs one by default: ES modules, no
 * `nodejs_compat`, so neither Node's built-ins nor a `process` global exist. Unless
 * `outboundService` says otherwise, its `fetch` goes out through workerd's own network stack,
 * allowed to loopback only.
 */
export function workerdOptions(script, options = {}) {
  return {
    modules: true,
    script,
    compatibilityDate,
    compatibilityFlags: [],
    outboundService: { network: { allow: ['127.0.0.1/32'] } },
    ...options,
  };
}
