import { templateRoute } from '../account';
import type { AccountRoute } from './account';

/** /api/email_templates: list, create, get, update, delete. */
export const templateRoutes: AccountRoute[] = [
  {
    path: /^\/api\/email_templates(?:\/([^/]+))?\/?$/,
    async handle(emulator, call) {
      const writes = call.method === 'POST' || call.method === 'PATCH' || call.method === 'PUT';
      const body = writes ? await call.body() : undefined;
      return templateRoute(emulator.templates, call.method, call.params[0], body);
    },
  },
];
