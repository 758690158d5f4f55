import { MailtrapClient } from 'npm:@mailtrap-kit/core';

const client = new MailtrapClient(); // token from MAILTRAP_API_TOKEN; sends with Deno's fetch
const { message_ids } = await client.send({
  from: { email: 'hello@example.com' },
  to: [{ email: 'someone@example.org' }],
  subject: 'Hello from Deno',
  text: 'Sent with @mailtrap-kit/core',
});
console.log(message_ids);
