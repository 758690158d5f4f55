/**
 * The kept message a control route is about, or the 404 that says why there is none: never kept
 * (a wrong id), dropped by the retention bounds, or deleted.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { sendJson } from '../http';
import type { StoredMessage } from '../types';

const WHY = {
  unknown: 'no such message',
  retention: 'message no longer kept: dropped by the retention bounds (retainBodies, retainBodyBytes)',
  deleted: 'message deleted',
} as const;

/** The message of `encodedId` (a path segment), or undefined once the 404 is sent. */
export function keptMessage(
  emulator: EmulatorContext,
  response: ServerResponse,
  encodedId: string,
): StoredMessage | undefined {
  const id = decodeURIComponent(encodedId);
  const message = emulator.store.message(id);
  if (message) return message;
  const reason = emulator.store.forgottenReason(id) ?? 'unknown';
  sendJson(response, 404, { error: WHY[reason], reason });
  return undefined;
}
