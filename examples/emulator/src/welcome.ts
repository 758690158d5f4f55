// Your application's code: it only knows a MailtrapClient, never the emulator.
import type { MailtrapClient } from '@mailtrap-kit/core';

export interface User {
  email: string;
  name: string;
}

export async function sendWelcomeEmail(client: MailtrapClient, user: User): Promise<string> {
  const result = await client.send({
    from: { email: 'hello@example.com', name: 'Acme' },
    to: [{ email: user.email, name: user.name }],
    subject: `Welcome, ${user.name}`,
    text: `Hi ${user.name}, your Acme account is ready.`,
    category: 'welcome',
    custom_variables: { user_email: user.email },
  });
  return result.message_ids[0]!;
}
