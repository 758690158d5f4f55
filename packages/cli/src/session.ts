import {
  type Command,
  type Connection,
  type ConnectionFlags,
  clientOptions,
  keepSecret,
  resolveConnection,
} from '@mailtrap-kit/cli-kit';
import { MailtrapClient, type MailtrapClientOptions } from '@mailtrap-kit/core';
import type { AccountApi } from './account-api';

export const USER_AGENT = 'mailtrap-kit (@mailtrap-kit/cli)';

/** A command's client, the account API over it, and where they point. */
export interface Session {
  client: MailtrapClient;
  api: AccountApi;
  connection: Connection;
  /** The emulator started in-process when no token was found (doctor only). */
  emulator?: { url: string; close(): Promise<void> };
  close(): Promise<void>;
}

/** Opens a session from a command's connection options; no token is a usage error saying where to put one. */
export function openSession(
  command: Command,
  flags: ConnectionFlags,
  extra: Partial<MailtrapClientOptions> = {},
): Session {
  const connection = resolveConnection(command, flags);
  const client = new MailtrapClient({ ...clientOptions(connection, USER_AGENT), retry: false, ...extra });
  return { client, api: client, connection, close: () => client.close() };
}

/**
 * A session on an emulator started in this process (for `doctor` without a token): its token and
 * endpoints, verified example domains, and the emulator closed with the session.
 */
export async function openEmulatorSession(
  command: Command,
  connection: Connection,
  extra: Partial<MailtrapClientOptions> = {},
): Promise<Session> {
  const { startEmulator } = await import('@mailtrap-kit/emulator');
  const emulator = await startEmulator({ port: 0 });
  keepSecret(command, emulator.token);
  const client = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    userAgent: USER_AGENT,
    retry: false,
    ...extra,
  });
  return {
    client,
    api: client,
    connection: {
      ...connection,
      token: { token: emulator.token, source: 'flag', origin: 'the in-process emulator' },
      endpoints: emulator.endpoints,
    },
    emulator,
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}
