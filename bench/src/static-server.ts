// The minimal local server the CPU cases post to: node:http in its own process, so its CPU is not
// counted against the client. It drains the body and answers with the send success JSON.
import { createServer } from 'node:http';

const sendAnswer = JSON.stringify({ success: true, message_ids: ['0b6a4f3e-8c1d-4d8a-9a8e-5f2d8f1e2c3b'] });
let requests = 0;

const server = createServer((request, response) => {
  requests++;
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(sendAnswer),
    });
    response.end(sendAnswer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'ready', value: { url: `http://127.0.0.1:${port}`, pid: process.pid } });
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.on('exit', () => {
  if (process.env.BENCH_DEBUG) console.error(`static server answered ${requests} requests`);
});
