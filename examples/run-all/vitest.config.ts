import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../../vitest.shared';

// The examples resolve to their sources (examples/<name>/src/example.ts), ahead of the shared
// rule that maps every other @mailtrap-kit/<name> to packages/<name>/src/index.ts.
const examples = fileURLToPath(new URL('..', import.meta.url));
const config = packageTestConfig({ testTimeout: 180_000 });
const shared = (config.resolve?.alias ?? []) as Array<{ find: RegExp; replacement: string }>;
config.resolve = {
  ...config.resolve,
  alias: [
    { find: /^@mailtrap-kit\/example-([a-z-]+)$/, replacement: `${examples}$1/src/example.ts` },
    ...shared,
  ],
};

export default config;
