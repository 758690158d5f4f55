// The Worker of the single-send case on workerd: each POST runs `sends` sends at `concurrency`
// to the static server and answers when they are done. Bundled from core's Workers build.
import { MailtrapClient } from '@mailtrap-kit/core';
import { benchMail, type LoadSettings } from './fixtures.js';
import { runConcurrently } from './concurrency.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const settings = (await request.json()) as LoadSettings;
    const client = new MailtrapClient({
      token: settings.token,
      endpoints: { send: settings.url },
      rateLimit: false,
    });
    await runConcurrently(settings.sends, settings.concurrency, () => client.send(benchMail));
    await client.close();
    return Response.json({ sends: settings.sends, transport: client.transport });
  },
};
