import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The test settings every workspace shares. Workspace packages resolve to their TypeScript
 * sources, so a test never runs against a stale build and packages may test against each other
 * (core's tests use the emulator, the emulator uses templates) without a build cycle.
 */
export function packageTestConfig(overrides: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: {
      alias: [
        {
          find: /^@mailtrap-kit\/openapi-testing$/,
          replacement: `${root}testing/openapi/src/index.ts`,
        },
        {
          find: /^@mailtrap-kit\/terminal-testing$/,
          replacement: `${root}testing/terminal/src/index.ts`,
        },
        {
          // Contract suites: `@mailtrap-kit/core/testing` and the like.
          find: /^@mailtrap-kit\/([a-z-]+)\/testing$/,
          replacement: `${root}packages/$1/src/testing/index.ts`,
        },
        {
          find: /^@mailtrap-kit\/([a-z-]+)$/,
          replacement: `${root}packages/$1/src/index.ts`,
        },
      ],
    },
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: ['default', 'json'],
      outputFile: { json: '.test-results/vitest.json' },
      ...overrides,
    },
  });
}
