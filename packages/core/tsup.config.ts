import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const shared = {
  sourcemap: true,
  // Class and function names as written: esbuild would otherwise rename the error classes it
  // hoists (`_MailtrapConfigurationError` in stack traces and `util.inspect`).
  keepNames: true,
  external: ['vitest'],
} satisfies Options;

/**
 * The build of runtimes without undici or a file system: `./platform` (undici, node:fs,
 * node:crypto) is replaced by `platform.<flavour>.ts` (fetch, no file system, @noble/hashes); every
 * other module is the same source. Neither undici nor a `node:` module is imported by this build.
 */
function platformBuild(flavour: 'web' | 'browser'): Options {
  const replacement = fileURLToPath(new URL(`./src/platform.${flavour}.ts`, import.meta.url));
  return {
    ...shared,
    entry: { index: 'src/index.ts' },
    outDir: `dist/${flavour}`,
    format: ['esm'],
    dts: false,
    clean: true,
    target: 'es2022',
    platform: flavour === 'browser' ? 'browser' : 'neutral',
    esbuildPlugins: [
      {
        name: `platform-${flavour}`,
        setup(build) {
          build.onResolve({ filter: /^\.\/platform$/ }, () => ({ path: replacement }));
        },
      },
    ],
  };
}

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // The other builds write into dist/web and dist/browser at the same time.
    clean: ['!web/**', '!browser/**'],
    target: 'node20',
    platform: 'node',
  },
  platformBuild('web'),
  platformBuild('browser'),
]);
