/**
 * Which module answers a request: the sending hosts, the account API, the control API or the
 * inbox page. Route modules are listed in their dispatcher (ACCOUNT_ROUTES in account.ts,
 * CONTROL_ROUTES in control.ts); this file changes only for a new kind of endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { drain, sendJson } from '../http';
import { refuseForeign } from '../security';
import { handleAccount } from './account';
import { handleControl } from './control';
import { sendFavicon, sendInboxPage } from './inbox';
import { handleSending, SENDING_ROUTE } from './sending';

export async function route(
  emulator: EmulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const url = request.url ?? '/';
  const questionMark = url.indexOf('?');
  const path = questionMark === -1 ? url : url.slice(0, questionMark);
  const query = questionMark === -1 ? '' : url.slice(questionMark + 1);
  const sending = SENDING_ROUTE.exec(path);
  if (sending) return handleSending(emulator, request, response, sending, path, started);
  if (path.startsWith('/api/')) return handleAccount(emulator, request, response, path, query, started);
  const inbox = path === '/' || path === '/index.html';
  if (path.startsWith('/_emulator/') || inbox) {
    const refused = refuseForeign(emulator.settings, request);
    if (refused) {
      drain(request);
      return sendJson(response, 403, { error: refused });
    }
  }
  if (path.startsWith('/_emulator/')) return handleControl(emulator, request, response, path, query);
  drain(request);
  if (inbox && request.method === 'GET') return sendInboxPage(response);
  if ((path === '/favicon.svg' || path === '/favicon.ico') && request.method === 'GET')
    return sendFavicon(response);
  sendJson(response, 404, { error: 'Not Found' });
}
