import { MailtrapClient } from '@mailtrap-kit/core';

interface Env {
  MAILTRAP_API_TOKEN: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const client = new MailtrapClient({ token: env.MAILTRAP_API_TOKEN });
    const { message_ids } = await client.send({
      from: { email: 'hello@example.com' },
      to: [{ email: 'someone@example.org' }],
      subject: 'Hello from a Worker',
      text: 'Sent with @mailtrap-kit/core',
    });
    return Response.json({ message_ids });
  },
};
