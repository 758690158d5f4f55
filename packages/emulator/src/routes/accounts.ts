import type { AccountRoute } from './account';

/** GET /api/accounts: the one emulated account. */
export const accountsRoutes: AccountRoute[] = [
  {
    path: /^\/api\/accounts$/,
    bareOnly: true,
    handle: (emulator, call) =>
      call.method === 'GET'
        ? {
            status: 200,
            body: [{ id: emulator.settings.accountId, name: 'mailtrap-kit emulator', access_levels: [1000] }],
          }
        : { status: 404, body: { error: 'Not Found' } },
  },
];
