/**
 * The web inbox: the page at '/', and the parts of a message it shows in frames and links (its
 * HTML under a sandboxing CSP, its attachments as downloads).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { sendJson } from '../http';
import { inboxPage } from '../inbox';
import type { StoredMessage } from '../types';
import type { ControlRoute } from './control';

export function sendInboxPage(response: ServerResponse): void {
  const nonce = randomBytes(16).toString('base64');
  const page = inboxPage(nonce);
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    'content-security-policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(page);
}

function sendHtmlPart(emulator: EmulatorContext, response: ServerResponse, message: StoredMessage): void {
  const baseUrl = emulator.baseUrl;
  const html = message.rendered ? message.rendered.html : message.html;
  let body = html ?? '<p style="font-family:sans-serif;color:#666">This message has no HTML part.</p>';
  // inline images: cid: references point at the attachment with that content_id
  if (message.attachments.some((attachment) => attachment.content_id)) {
    body = body.replace(/(["'(])cid:([^"')\s]+)/gi, (match, quote: string, contentId: string) => {
      const index = message.attachments.findIndex((attachment) => attachment.content_id === contentId);
      return index < 0
        ? match
        : `${quote}${baseUrl}/_emulator/messages/${encodeURIComponent(message.id)}/attachments/${index}`;
    });
  }
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    // No script may run: a sandbox without allow-scripts, and nothing may load except inline styles and images.
    'content-security-policy': `sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http: ${baseUrl}; font-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  response.end(body);
}

function sendAttachment(response: ServerResponse, message: StoredMessage, index: number): void {
  const raw = message.raw as Record<string, unknown>;
  const source = (raw.request ?? raw) as Record<string, unknown>;
  const list =
    (source.attachments as Array<Record<string, string>> | undefined) ??
    ((raw.base as Record<string, unknown> | undefined)?.attachments as
      | Array<Record<string, string>>
      | undefined);
  const attachment = list?.[index];
  if (!attachment) {
    sendJson(response, 404, { error: 'attachment not found' });
    return;
  }
  const content = Buffer.from(attachment.content ?? '', 'base64');
  const filename = (attachment.filename ?? `attachment-${index}`).replace(/["\\\r\n]/g, '_');
  // images keep their type so that inline (cid:) images show; SVG and everything else download
  const type = attachment.type ?? '';
  const image = /^image\/(png|jpeg|gif|webp|avif|bmp)$/i.test(type);
  response.writeHead(200, {
    'content-type': image ? type : 'application/octet-stream',
    'content-length': content.length,
    'content-disposition': `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    'x-content-type-options': 'nosniff',
  });
  response.end(content);
}

export const inboxPartRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: /^\/_emulator\/messages\/([^/]+)\/(html|attachments)(?:\/(\d+))?$/,
    handle(emulator, { response, params }) {
      const message = emulator.store.message(decodeURIComponent(params[0]!));
      if (!message)
        return sendJson(response, 404, {
          error: 'message not found (it may have been dropped by retention)',
        });
      if (params[1] === 'html') return sendHtmlPart(emulator, response, message);
      sendAttachment(response, message, Number(params[2]));
    },
  },
];
