// The SMTP floor of the emulator-ingest case: Nodemailer's smtp-server (the emulator's own SMTP
// library) in its own process, taking any AUTH PLAIN/LOGIN and discarding every message after
// reading it, so the emulator's figures can be read against what the protocol alone costs.
import { SMTPServer } from 'smtp-server';

let messages = 0;
const server = new SMTPServer({
  logger: false,
  secure: false,
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: true,
  disableReverseLookup: true,
  closeTimeout: 200,
  onAuth(_auth, _session, callback) {
    callback(null, { user: 'bench' });
  },
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      messages++;
      callback(null, 'Ok');
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({
    type: 'ready',
    value: { url: `smtp://127.0.0.1:${port}`, smtp: { host: '127.0.0.1', port }, pid: process.pid },
  });
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.on('exit', () => {
  if (process.env.BENCH_DEBUG) console.error(`SMTP sink took ${messages} messages`);
});
