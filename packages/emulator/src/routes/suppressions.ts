import type { AccountRoute } from './account';

/** GET /api/suppressions (optionally `?email=`). */
export const suppressionRoutes: AccountRoute[] = [
  {
    path: /^\/api\/suppressions\/?$/,
    handle(emulator, call) {
      if (call.method !== 'GET') return { status: 404, body: { error: 'Not Found' } };
      const email = new URLSearchParams(call.query).get('email')?.toLowerCase();
      const all = emulator.suppressions;
      return {
        status: 200,
        body: email ? all.filter((item) => item.email.toLowerCase() === email) : all,
      };
    },
  },
];
