/** GET /_emulator/compare?a=<id>&b=<id>: two kept messages side by side (see compare.ts). */
import { compareMessages } from '../compare';
import { sendJson } from '../http';
import type { ControlRoute } from './control';
import { keptMessage } from './kept-message';

export const compareRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: /^\/_emulator\/compare$/,
    async handle(emulator, { response, query }) {
      const ids = [query.get('a'), query.get('b')];
      if (!ids[0] || !ids[1])
        return sendJson(response, 400, { error: 'name the two messages: ?a=<message id>&b=<message id>' });
      const a = keptMessage(emulator, response, encodeURIComponent(ids[0]));
      if (!a) return;
      const b = keptMessage(emulator, response, encodeURIComponent(ids[1]));
      if (!b) return;
      sendJson(response, 200, await compareMessages(a, b));
    },
  },
];
