import { MailtrapClient } from '@mailtrap-kit/core';

const client = new MailtrapClient(); // token from MAILTRAP_API_TOKEN; undici's connection pool
// new MailtrapClient({ transport: 'fetch' }) sends with Node's fetch instead, as on Bun and Deno
const { message_ids } = await client.send({
  from: { email: 'hello@example.com' },
  to: [{ email: 'someone@example.org' }],
  subject: 'Hello from Node',
  text: 'Sent with @mailtrap-kit/core',
});
console.log(message_ids);
await client.close(); // the pool's idle connections would hold the process up to 4 s
