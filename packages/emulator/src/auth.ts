import type { IncomingMessage } from 'node:http';
import type { EmulatorContext, TokenEntry } from './context';

export interface Authentication {
  token?: TokenEntry;
  /** 'conflicting': Authorization and Api-Token name different tokens. */
  problem?: 'conflicting';
}

/** The token of a request, from `Authorization: Bearer …` or `Api-Token` (both: they must agree). */
export function authenticate(emulator: EmulatorContext, request: IncomingMessage): Authentication {
  const authorization = request.headers.authorization;
  const apiToken = request.headers['api-token'];
  let value: string | undefined;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    value = match?.[1];
  }
  if (typeof apiToken === 'string' && apiToken !== '') {
    if (value !== undefined && value !== apiToken) return { problem: 'conflicting' };
    value = apiToken;
  }
  if (value === undefined) return {};
  return { token: emulator.tokens.find(value) };
}
