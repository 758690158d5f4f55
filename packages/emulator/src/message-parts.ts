/**
 * How the parts of a received message are served, wherever they are served (the web inbox, the
 * sandbox testing API): its HTML under a CSP that runs no script and loads nothing remote but
 * images, `cid:` references pointing at the attachment downloads, attachments as downloads.
 */
import type { StoredMessage } from './types';

/** The headers of a message's HTML part: a sandbox without scripts, only inline styles and images. */
export function htmlPartHeaders(baseUrl: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http: ${baseUrl}; font-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
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
