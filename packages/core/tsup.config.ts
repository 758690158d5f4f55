import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Class and function names as written: esbuild would otherwise rename the error classes it
  // hoists (`_MailtrapConfigurationError` in stack traces and `util.inspect`).
  keepNames: true,
  external: ['vitest'],
});
