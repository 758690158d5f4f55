import { messageSummary, requestSummary } from '../context';
import { sendJson } from '../http';
import { logEntry } from '../store';
import type { StoredMessage } from '../types';
import type { ControlRoute } from './control';
import { keptMessage } from './kept-message';

/** A message as JSON: its received bytes (`source`, SMTP) are left out; `.../eml` serves them. */
function messageJson(message: StoredMessage) {
  return message.source ? { ...message, source: undefined } : message;
}

function searchText(message: StoredMessage): string {
  return [
    message.rendered?.subject ?? message.subject ?? '',
    message.rendered?.text ?? message.text ?? '',
    message.from.email,
    ...message.to.map((address) => address.email),
    message.category ?? '',
    ...Object.values(message.custom_variables),
  ]
    .join('\n')
    .toLowerCase();
}

/** What was received: messages, requests, Email Logs entries, counters, live events. */
export const inspectionRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: /^\/_emulator\/messages$/,
    handle({ store }, { response, query }) {
      let list = store.listMessages();
      const stream = query.get('stream');
      const category = query.get('category');
      const recipient = query.get('recipient')?.toLowerCase();
      const text = query.get('q')?.toLowerCase();
      if (stream) list = list.filter((message) => message.stream === stream);
      if (category) list = list.filter((message) => message.category === category);
      if (recipient) {
        list = list.filter((message) =>
          [...message.to, ...message.cc, ...message.bcc].some((address) =>
            address.email.toLowerCase().includes(recipient),
          ),
        );
      }
      if (text) list = list.filter((message) => searchText(message).includes(text));
      const limit = Number(query.get('limit') ?? 200);
      const summary = query.get('summary') === '1';
      const page = list.slice(-Math.max(1, limit)).reverse();
      sendJson(response, 200, {
        total: list.length,
        kept: store.messages.length,
        messages: summary ? page.map(messageSummary) : page.map(messageJson),
        stats: store.stats,
      });
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/messages\/([^/]+)(?:\/(raw))?$/,
    handle(emulator, { response, params }) {
      const message = keptMessage(emulator, response, params[0]!);
      if (!message) return;
      sendJson(response, 200, params[1] === 'raw' ? message.raw : messageJson(message));
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/requests$/,
    handle({ store }, { response, query }) {
      const limit = Number(query.get('limit') ?? 0);
      const all = store.requests.toArray();
      if (!(limit > 0)) return sendJson(response, 200, all);
      sendJson(response, 200, all.slice(-limit).map(requestSummary));
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/logs$/,
    handle: ({ store }, { response }) => sendJson(response, 200, store.logs.toArray().map(logEntry)),
  },
  {
    method: 'GET',
    path: /^\/_emulator\/stats$/,
    handle: ({ store }, { response }) => sendJson(response, 200, store.stats),
  },
  {
    method: 'GET',
    path: /^\/_emulator\/sandbox-forwards$/,
    handle: ({ sandbox }, { response }) => sendJson(response, 200, sandbox.forwards()),
  },
  {
    method: 'GET',
    path: /^\/_emulator\/events$/,
    handle: ({ events }, { request, response }) => events.open(request, response),
  },
];
