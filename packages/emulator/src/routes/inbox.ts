/**
 * The web inbox: the page at '/', its favicon, the parts of a message it shows in frames and links
 * (its HTML under a sandboxing CSP, its attachments as downloads, its MIME source and headers, its
 * HTML check) and the inbox's own changes (delete one message, clear all).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { endpointsFromBase } from '@mailtrap-kit/core';
import type { EmulatorContext } from '../context';
import { checkHtml } from '../html-check';
import { htmlLinks } from '../html-links';
import { familyScores } from '../html-score';
import { sendJson } from '../http';
import { type IntegrationInfo, integrationSamples } from '../integration';
import { FAVICON_SVG, inboxPage } from '../inbox';
import { attachmentHeaders, htmlPartHeaders, linkInlineImages, withoutPreconnects } from '../message-parts';
import { attachmentSources, composeMessage, mailHeaders, visibleContent } from '../mime';
import type { StoredMessage } from '../types';
import type { ControlRoute } from './control';
import { keptMessage } from './kept-message';

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

/** GET /favicon.svg and /favicon.ico (browsers ask for the latter on their own). */
export function sendFavicon(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'image/svg+xml',
    'content-length': Buffer.byteLength(FAVICON_SVG),
    'cache-control': 'max-age=86400',
    'x-content-type-options': 'nosniff',
  });
  response.end(FAVICON_SVG);
}

function sendHtmlPart(
  emulator: EmulatorContext,
  response: ServerResponse,
  message: StoredMessage,
  remoteContent: boolean,
): void {
  const html = visibleContent(message).html;
  const body = html
    ? linkInlineImages(
        withoutPreconnects(html),
        message,
        (index) =>
          `${emulator.baseUrl}/_emulator/messages/${encodeURIComponent(message.id)}/attachments/${index}`,
      )
    : '<p style="font-family:sans-serif;color:#666">This message has no HTML part.</p>';
  response.writeHead(200, htmlPartHeaders(emulator.baseUrl, remoteContent));
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

async function sendHtmlCheck(emulator: EmulatorContext, response: ServerResponse, message: StoredMessage) {
  const html = visibleContent(message).html;
  if (!html) return sendJson(response, 200, { html: false, unsupported: [], partial: [], clients: [] });
  const check = await checkHtml(html, emulator.options.htmlCheckClients);
  sendJson(response, 200, {
    html: true,
    ...check,
    scores: await familyScores(check),
    links: htmlLinks(html),
  });
}

async function sendSource(response: ServerResponse, message: StoredMessage, download: boolean) {
  const source = await composeMessage(message);
  response.writeHead(200, {
    'content-type': download ? 'message/rfc822' : 'text/plain; charset=utf-8',
    'content-length': source.length,
    'x-content-type-options': 'nosniff',
    ...(download
      ? { 'content-disposition': `attachment; filename="${message.id.replace(/[^\w.-]/g, '_')}.eml"` }
      : {}),
  });
  response.end(source);
}

/** What the Integration page shows (a token given in the options is never shown: it may be real). */
export function integrationInfo(emulator: EmulatorContext): IntegrationInfo {
  return {
    url: emulator.baseUrl,
    token: emulator.options.tokens ? undefined : emulator.defaultToken,
    domains: emulator.domains
      .list()
      .map((domain) => ({ name: domain.domain_name, verified: domain.dns_verified })),
    sandboxId: emulator.options.sandboxIds?.[0] ?? 1,
    smtp: emulator.smtp,
  };
}

export const inboxPartRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: /^\/_emulator\/integration$/,
    handle(emulator, { response }) {
      const info = integrationInfo(emulator);
      sendJson(response, 200, {
        ...info,
        endpoints: endpointsFromBase(info.url),
        samples: integrationSamples(info),
      });
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/messages\/([^/]+)\/(source|eml|headers|html-check)$/,
    async handle(emulator, { response, params }) {
      const message = keptMessage(emulator, response, params[0]!);
      if (!message) return;
      if (params[1] === 'html-check') return sendHtmlCheck(emulator, response, message);
      if (params[1] === 'headers')
        return sendJson(response, 200, { headers: mailHeaders(await composeMessage(message)) });
      return sendSource(response, message, params[1] === 'eml');
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/messages\/([^/]+)\/(html|attachments)(?:\/(\d+))?$/,
    handle(emulator, { response, params, query }) {
      const message = keptMessage(emulator, response, params[0]!);
      if (!message) return;
      if (params[1] === 'html') return sendHtmlPart(emulator, response, message, query.get('remote') === '1');
      sendAttachment(response, message, Number(params[2]));
    },
  },
  {
    method: 'DELETE',
    path: /^\/_emulator\/messages\/([^/]+)$/,
    handle(emulator, { response, params }) {
      const message = keptMessage(emulator, response, params[0]!);
      if (!message) return;
      emulator.store.deleteMessage(message.id);
      // written before the answer, as a send is: a process killed once it answered keeps the deletion
      emulator.persistence?.saveAccount();
      emulator.events.publish('deleted', () => ({ ids: [message.id] }));
      sendJson(response, 200, { deleted: 1 });
    },
  },
  {
    method: 'DELETE',
    path: /^\/_emulator\/messages$/,
    handle(emulator, { response }) {
      const deleted = emulator.store.clearMessages();
      emulator.persistence?.saveAccount();
      emulator.events.publish('deleted', () => ({ all: true }));
      sendJson(response, 200, { deleted });
    },
  },
];
