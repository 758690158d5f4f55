/**
 * Mailtrap's SMTP credentials: user `api` with an API token on the transactional and bulk hosts;
 * each sandbox's own user name and password for the sandbox.
 */
import type { EmulatorContext, TokenEntry } from '../context';
import { tokenKey } from '../tokens';
import type { MailtrapStream } from '../types';

/** The user name of the sending streams' SMTP credentials. */
export const SMTP_USER = 'api';

/** Who logged in: the stream the session sends on, with the token (or sandbox) it sends as. */
export interface SmtpLogin {
  stream: MailtrapStream;
  token: TokenEntry;
  sandboxId?: number;
}

/**
 * The login of a user name and password on a listener of `stream` ('transactional' or 'bulk';
 * the transactional listener also takes the sandboxes' credentials), or undefined when the
 * credentials are not valid there.
 */
export function smtpLogin(
  emulator: EmulatorContext,
  stream: 'transactional' | 'bulk',
  username: string,
  password: string,
): SmtpLogin | undefined {
  if (username === SMTP_USER) {
    const token = emulator.tokens.find(password);
    return token?.streams.has(stream) ? { stream, token } : undefined;
  }
  // bulk and sandbox is not a valid combination
  if (stream !== 'transactional') return undefined;
  const sandbox = emulator.sandbox.byCredentials(username, password);
  if (!sandbox || !emulator.sandbox.accepts(sandbox.id)) return undefined;
  return { stream: 'sandbox', sandboxId: sandbox.id, token: sandboxCredentials(sandbox.id, password) };
}

/** A sandbox's SMTP credentials as the token the sending path records (sandbox stream only). */
function sandboxCredentials(sandboxId: number, password: string): TokenEntry {
  return {
    id: 0,
    name: `SMTP credentials of sandbox ${sandboxId}`,
    key: tokenKey(`sandbox:${sandboxId}:${password}`),
    streams: new Set(['sandbox']),
    resources: [{ resource_type: 'sandbox', resource_id: sandboxId, access_level: 100 }],
    createdBy: 'emulator',
    createdAt: new Date().toISOString(),
    last4: password.slice(-4),
    generated: true,
  };
}
