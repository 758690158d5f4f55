import { parseWebhookEvents, verifyWebhookSignatureAsync } from '@mailtrap-kit/core';

interface Env {
  MAILTRAP_WEBHOOK_SECRET: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const body = await request.text(); // the raw body: the signature is over these bytes
    const signature = request.headers.get('mailtrap-signature') ?? '';
    if (!(await verifyWebhookSignatureAsync(body, signature, env.MAILTRAP_WEBHOOK_SECRET))) {
      return new Response('bad signature', { status: 401 });
    }
    for (const event of parseWebhookEvents(body)) {
      console.log(event.event, event.message_id); // de-duplicate by event.event_id: Mailtrap retries
    }
    return new Response('ok');
  },
};
