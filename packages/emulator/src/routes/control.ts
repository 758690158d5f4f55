/**
 * The control API under `/_emulator/` (inspection, faults, reset, the inbox's data): no token,
 * loopback and same-origin only (see security.ts). Adding a control route: export a
 * `ControlRoute[]` from its module and add it to CONTROL_ROUTES. A handler writes its own answer
 * (JSON through `sendJson`, or HTML, bytes, an event stream); a thrown error answers 400.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { drain, readJson, sendJson } from '../http';
import { accountControlRoutes } from './account-control';
import { compareRoutes } from './compare';
import { contactExportFileRoutes } from './contacts';
import { faultControlRoutes } from './fault-control';
import { inboxPartRoutes } from './inbox';
import { inspectionRoutes } from './inspection';

export interface ControlCall {
  request: IncomingMessage;
  response: ServerResponse;
  /** The capture groups of the route's `path`. */
  params: Array<string | undefined>;
  query: URLSearchParams;
  /** The JSON body (up to 1 MiB), undefined when empty. */
  body(): Promise<unknown>;
}

export interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | Array<'GET' | 'POST' | 'PUT' | 'DELETE'>;
  path: RegExp;
  handle(emulator: EmulatorContext, call: ControlCall): void | Promise<void>;
}

export const CONTROL_ROUTES: ControlRoute[] = [
  ...inspectionRoutes,
  ...inboxPartRoutes,
  ...compareRoutes,
  ...faultControlRoutes,
  ...accountControlRoutes,
  ...contactExportFileRoutes,
];

export async function handleControl(
  emulator: EmulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: string,
): Promise<void> {
  const method = request.method ?? 'GET';
  let bodyRead = false;
  try {
    for (const route of CONTROL_ROUTES) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes(method as never)) continue;
      const match = route.path.exec(path);
      if (!match) continue;
      await route.handle(emulator, {
        request,
        response,
        params: match.slice(1),
        query: new URLSearchParams(query),
        body: () => {
          bodyRead = true;
          return readJson(request, 1024 * 1024);
        },
      });
      if (method !== 'GET') emulator.persistence?.saveAccount();
      // (a GET is not drained: reading it to its end would close the event stream's request)
      if (!bodyRead && method !== 'GET') drain(request);
      return;
    }
    drain(request);
    sendJson(response, 404, { error: 'Not Found' });
  } catch (error) {
    sendJson(response, 400, { error: (error as Error).message });
  }
}
