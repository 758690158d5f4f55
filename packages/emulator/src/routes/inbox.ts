/**
 * The web inbox: the page at '/', and the parts of a message it shows in frames and links (its
 * HTML under a sandboxing CSP, its attachments as downloads).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { sendJson } from '../http';
import { inboxPage } from '../inbox';
import { attachmentHeaders, htmlPartHeaders, linkInlineImages } from '../message-parts';
import { checkHtml } from '../html-check';
import { attachmentSources, composeMessage, visibleContent } from '../mime';
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
  const html = visibleContent(message).html;
  const body = html
    ? linkInlineImages(
        html,
        message,
        (index) =>
          `${emulator.baseUrl}/_emulator/messages/${encodeURIComponent(message.id)}/attachments/${index}`,
      )
    : '<p style="font-family:sans-serif;color:#666">This message has no HTML part.</p>';
  response.writeHead(200, htmlPartHeaders(emulator.baseUrl));
  response.end(body);
}

function sendAttachment(response: ServerResponse, message: StoredMessage, index: number): void {
  const attachment = attachmentSources(message)[index];
  if (!attachment) {
    sendJson(response, 404, { error: 'attachment not found' });
    return;
  }
  const filename = message.attachments[index]?.filename ?? `attachment-${index}`;
  response.writeHead(200, {
    ...attachmentHeaders(filename, attachment.type),
    'content-length': attachment.content.length,
  });
  response.end(attachment.content);
}

export const inboxPartRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: /^\/_emulator\/messages\/([^/]+)\/(source|eml|html-check)$/,
    async handle(emulator, { response, params }) {
      const message = emulator.store.message(decodeURIComponent(params[0]!));
      if (!message)
        return sendJson(response, 404, {
          error: 'message not found (it may have been dropped by retention)',
        });
      if (params[1] === 'html-check') {
        const html = visibleContent(message).html;
        if (!html) return sendJson(response, 200, { html: false, unsupported: [], partial: [], clients: [] });
        return sendJson(response, 200, await checkHtml(html, emulator.options.htmlCheckClients));
      }
      const source = await composeMessage(message);
      response.writeHead(200, {
        'content-type': params[1] === 'eml' ? 'message/rfc822' : 'text/plain; charset=utf-8',
        'content-length': source.length,
        'x-content-type-options': 'nosniff',
        ...(params[1] === 'eml'
          ? { 'content-disposition': `attachment; filename="${message.id.replace(/[^\w.-]/g, '_')}.eml"` }
          : {}),
      });
      response.end(source);
    },
  },
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
