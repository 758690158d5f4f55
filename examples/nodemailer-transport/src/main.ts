// `pnpm start`: sends to an emulator started here, or to Mailtrap when MAILTRAP_API_TOKEN is set.
import { startEmulator } from '@mailtrap-kit/emulator';
import { run } from './example';

const token = process.env.MAILTRAP_API_TOKEN;
if (token) {
  const result = await run({
    token,
    from: { email: required('MAILTRAP_FROM'), name: 'Acme' },
    to: { email: required('MAILTRAP_TO') },
  });
  console.log(`sent ${result.sent}, failed ${result.failed}`);
} else {
  const emulator = await startEmulator();
  try {
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'shop@example.com', name: 'Acme' },
      to: { email: 'ada@example.org' },
    });
    const batches = emulator.requests().filter((request) => request.kind === 'batch').length;
    console.log(
      `sent ${result.sent}, failed ${result.failed}; the 20 resets took ${batches} batch request(s)`,
    );
  } finally {
    await emulator.close();
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required when MAILTRAP_API_TOKEN is set (see README.md)`);
  return value;
}
