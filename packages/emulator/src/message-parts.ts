/**
 * How the parts of a received message are served, wherever they are served (the web inbox, the
 * sandbox testing API): its HTML under a CSP that runs no script and loads nothing remote unless
 * asked, `cid:` references pointing at the attachment downloads, attachments as downloads.
 */
import type { StoredMessage } from './types';

/**
 * The headers of a message's HTML part: a sandbox without scripts, forms or plugins, inline styles,
 * and images only from data: URLs and the emulator (inline `cid:` images). Nothing remote loads —
 * no image, stylesheet, font, frame or media — unless `remoteContent` is set (the inbox's "load
 * remote content" switch), which allows remote images, stylesheets and fonts, still no script.
 */
export function htmlPartHeaders(baseUrl: string, remoteContent = false): Record<string, string> {
  const remote = remoteContent ? ' https: http:' : '';
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'${remote}; img-src data: ${baseUrl}${remote}; font-src data:${remote}; form-action 'none'; frame-ancestors 'self'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

const LINK_TAG = /<link\b[^>]*>/gi;
const RESOURCE_HINT =
  /\brel\s*=\s*["']?[^"'>]*\b(?:preconnect|dns-prefetch|prefetch|preload|modulepreload|prerender)\b/i;
const FRAME_TAG = /<(?:i?frame)\b[^>]*>/gi;
const SOURCE_ATTRIBUTE = /(\s)(src(?:doc)?\s*=)/gi;

/**
 * The HTML without what makes Chromium open a connection whatever the CSP says — resource hints
 * (`<link rel=preconnect|dns-prefetch|prefetch|preload|...>`) and the `src` of frames — which
 * would tell a sender that the message was opened. Mail clients ignore both anyway.
 */
export function withoutPreconnects(html: string): string {
  return html
    .replace(LINK_TAG, (tag) => (RESOURCE_HINT.test(tag) ? '<!-- resource hint removed -->' : tag))
    .replace(FRAME_TAG, (tag) => tag.replace(SOURCE_ATTRIBUTE, '$1data-blocked-$2'));
}

/** The HTML with each `cid:` reference to an attachment replaced by `urlOf(index of the attachment)`. */
export function linkInlineImages(
  html: string,
  message: StoredMessage,
  urlOf: (attachmentIndex: number) => string,
): string {
  if (!message.attachments.some((attachment) => attachment.content_id)) return html;
  return html.replace(/(["'(])cid:([^"')\s]+)/gi, (match, quote: string, contentId: string) => {
    const index = message.attachments.findIndex((attachment) => attachment.content_id === contentId);
    return index < 0 ? match : `${quote}${urlOf(index)}`;
  });
}

/**
 * The headers of an attachment download: images keep their type (so inline images show), SVG and
 * everything else are sent as bytes to save, never rendered by the browser.
 */
export function attachmentHeaders(filename: string, type: string | undefined): Record<string, string> {
  const safeName = filename.replace(/["\\\r\n]/g, '_');
  const image = /^image\/(png|jpeg|gif|webp|avif|bmp)$/i.test(type ?? '');
  return {
    'content-type': image ? type! : 'application/octet-stream',
    'content-disposition': `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(safeName)}`,
    'x-content-type-options': 'nosniff',
  };
}
