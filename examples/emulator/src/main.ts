// `pnpm start`: the emulator is the point of this example, so it always runs against a local one.
import { startEmulator } from '@mailtrap-kit/emulator';
import { run } from './example';

const emulator = await startEmulator();
try {
  const result = await run({ emulator });
  console.log(
    `sent ${result.sent}, failed ${result.failed}; the tests in src/welcome.test.ts: \`pnpm test\``,
  );
} finally {
  await emulator.close();
}
