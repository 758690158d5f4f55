/** The account API's error answers, in the shapes of the vendor specs' shared responses. */
import type { AccountAnswer } from './account';
import { hasAccountAccess, type AccessLevel, type TokenEntry } from './tokens';

export const NOT_FOUND: AccountAnswer = { status: 404, body: { error: 'Not Found' } };
export const FORBIDDEN: AccountAnswer = { status: 403, body: { errors: 'Account access forbidden' } };

/** 422 with errors per field (`base` for the record as a whole). */
export function unprocessable(errors: Record<string, string[]>): AccountAnswer {
  return { status: 422, body: { errors } };
}

/** 400 with a message (the stats and Email Logs shape). */
export function badRequest(error = 'Bad Request'): AccountAnswer {
  return { status: 400, body: { error } };
}

/** FORBIDDEN unless the token has account-wide access at `level` (10 read, 100 change). */
export function needsAccount(token: TokenEntry, level: AccessLevel): AccountAnswer | undefined {
  return hasAccountAccess(token, level) ? undefined : FORBIDDEN;
}

/** Reads need viewer access, everything else admin. */
export function levelFor(method: string): AccessLevel {
  return method === 'GET' || method === 'HEAD' ? 10 : 100;
}
