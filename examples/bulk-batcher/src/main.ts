// `pnpm start`: sends to an emulator started here, or to Mailtrap's bulk stream when
// MAILTRAP_API_TOKEN is set (then 10 recipients unless RECIPIENTS says otherwise).
import { startEmulator } from '@mailtrap-kit/emulator';
import { run } from './example';

const token = process.env.MAILTRAP_API_TOKEN;
const recipients = process.env.RECIPIENTS ? Number(process.env.RECIPIENTS) : undefined;
if (token) {
  const result = await run({
    token,
    from: { email: required('MAILTRAP_FROM'), name: 'Acme' },
    to: { email: required('MAILTRAP_TO') },
    recipients: recipients ?? 10, // plus addresses of your own mailbox: start small
  });
  console.log(`sent ${result.sent}, failed ${result.failed}`);
} else {
  const emulator = await startEmulator();
  try {
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'news@example.com', name: 'Acme' },
      to: { email: 'reader@example.org' },
      recipients,
    });
    console.log(
      `sent ${result.sent}, failed ${result.failed} (to the emulator; set MAILTRAP_API_TOKEN to send for real)`,
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
