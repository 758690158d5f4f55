// `pnpm start`: needs Redis at REDIS_URL (default redis://127.0.0.1:6379). Sends to an emulator
// started here, or to Mailtrap's bulk stream when MAILTRAP_API_TOKEN is set.
import { connect } from 'node:net';
import { startEmulator } from '@mailtrap-kit/emulator';
import { run } from './example';

const token = process.env.MAILTRAP_API_TOKEN;
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const recipients = process.env.RECIPIENTS ? Number(process.env.RECIPIENTS) : undefined;

if (!(await reachable(redisUrl))) {
  console.error(`No Redis at ${redisUrl}: start one (e.g. \`redis-server\`) or set REDIS_URL.`);
  process.exit(1);
}

if (token) {
  const result = await run({
    token,
    from: { email: required('MAILTRAP_FROM'), name: 'Acme' },
    to: { email: required('MAILTRAP_TO') },
    redisUrl,
    recipients,
  });
  console.log(`sent ${result.sent}, failed ${result.failed}`);
} else {
  const emulator = await startEmulator();
  try {
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'news@example.com', name: 'Acme' },
      to: { email: 'customer@example.org' },
      redisUrl,
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

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
