import { checkFaultOptions } from '../faults';
import { sendJson } from '../http';
import type { FaultOptions } from '../types';
import type { ControlRoute } from './control';

/** Fault rules, the real rate limit and reset over HTTP. */
export const faultControlRoutes: ControlRoute[] = [
  {
    method: 'POST',
    path: /^\/_emulator\/reset$/,
    handle(emulator, { response }) {
      emulator.reset();
      sendJson(response, 200, { reset: true });
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/faults$/,
    handle: ({ faults }, { response }) =>
      sendJson(response, 200, { active: faults.active(), history: faults.history() }),
  },
  {
    method: 'DELETE',
    path: /^\/_emulator\/faults$/,
    handle({ faults }, { response }) {
      faults.clear();
      sendJson(response, 200, { cleared: true });
    },
  },
  {
    method: 'POST',
    path: /^\/_emulator\/faults$/,
    async handle({ faults }, { response, body }) {
      const input = await body();
      const list = (Array.isArray(input) ? input : [input]) as FaultOptions[];
      for (const item of list) checkFaultOptions(item);
      sendJson(response, 201, { ids: list.map((item) => faults.inject(item)) });
    },
  },
  {
    method: 'DELETE',
    path: /^\/_emulator\/faults\/(\d+)$/,
    handle({ faults }, { response, params }) {
      faults.clear(Number(params[0]));
      sendJson(response, 200, { cleared: true });
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/rate-limit$/,
    handle: ({ faults }, { response }) => sendJson(response, 200, { rateLimit: faults.currentRateLimit() }),
  },
  {
    method: ['POST', 'PUT'],
    path: /^\/_emulator\/rate-limit$/,
    async handle({ faults }, { response, body }) {
      const input = (await body()) as Record<string, unknown> | undefined;
      faults.rateLimit(input && input.enabled !== false ? (input as never) : false);
      sendJson(response, 200, { rateLimit: faults.currentRateLimit() });
    },
  },
  {
    method: 'DELETE',
    path: /^\/_emulator\/rate-limit$/,
    handle({ faults }, { response }) {
      faults.rateLimit(false);
      sendJson(response, 200, { rateLimit: false });
    },
  },
];
