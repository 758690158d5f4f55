import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared';

const base = packageTestConfig();

/**
 * The client behaviour suites, run a second time with fetch as the default transport: the same
 * tests, against the same loopback servers and emulator, through the other transport.
 */
const behaviourSuites = [
  'src/client.test.ts',
  'src/retry.test.ts',
  'src/sending-errors.test.ts',
  'src/emulator.test.ts',
  'src/rate-limit.test.ts',
  'src/streaming.test.ts',
  'src/account.test.ts',
  'src/account-api.test.ts',
  'src/transport.test.ts',
  'src/resources/resources.test.ts',
  'src/resources/sandbox.emulator.test.ts',
];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: [
      { extends: true, test: { name: 'undici', provide: { transport: 'undici' } } },
      {
        extends: true,
        resolve: {
          alias: [
            {
              find: /^\.\/platform$/,
              replacement: fileURLToPath(new URL('./src/platform.fetch-default.ts', import.meta.url)),
            },
          ],
        },
        test: { name: 'fetch', include: behaviourSuites, provide: { transport: 'fetch' } },
      },
    ],
  },
});
