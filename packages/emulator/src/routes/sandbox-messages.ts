/**
 * The sandbox testing API, messages (sandbox.openapi.yml): list, show, update, delete, forward,
 * the bodies (text, HTML, HTML source, raw, .eml), headers, the HTML analysis, the spam report
 * and attachments, under /api/sandboxes/{sandbox_id}/messages (also `inboxes`).
 */
import type { AccountAnswer } from '../account';
import type { EmulatorContext } from '../context';
import { checkHtml, htmlAnalysisReport } from '../html-check';
import { isPlainObject } from '../http';
import { attachmentHeaders, htmlPartHeaders, linkInlineImages } from '../message-parts';
import { attachmentSources, composeMessage, mailHeaders, visibleContent } from '../mime';
import type { CapturedMessage } from '../sandbox/sandbox-account';
import { attachmentJson, messageJson } from '../sandbox/sandbox-answers';
import { isEmail } from '../validation';
import type { AccountCall, AccountRoute } from './account';
import { idOf, NOT_FOUND, sandboxView } from './sandbox';

const MESSAGES = '^/api/(?:sandboxes|inboxes)/([^/]+)/messages';

/** The captured message named by the first two path parameters. */
function capturedOf(emulator: EmulatorContext, call: AccountCall): CapturedMessage | undefined {
  const sandboxId = idOf(call.params[0]);
  const messageId = idOf(call.params[1]);
  if (sandboxId === undefined || messageId === undefined) return undefined;
  return emulator.sandbox.message(sandboxId, messageId);
}

/** The text answer of a missing body part, as the API gives it. */
const CONFLICT: AccountAnswer = {
  status: 409,
  raw: { contentType: 'text/plain; charset=utf-8', data: 'Conflict' },
};

function positiveNumber(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 1 ? number : undefined;
}

/** `is_read` as the API takes it: a boolean or the strings "true" / "false". */
function readFlag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

type Part = (emulator: EmulatorContext, captured: CapturedMessage) => Promise<AccountAnswer>;

const PARTS: Record<string, Part> = {
  async 'body.txt'(_emulator, captured) {
    const text = visibleContent(captured.message).text;
    if (!text) return CONFLICT;
    return { status: 200, raw: { contentType: 'text/plain; charset=utf-8', data: text } };
  },
  async 'body.html'(emulator, captured) {
    const html = visibleContent(captured.message).html;
    if (!html) return CONFLICT;
    const view = sandboxView(emulator);
    // inline images point at the attachment downloads of the sandbox API
    const linked = linkInlineImages(html, captured.message, (index) => {
      const path = attachmentJson(view, captured, index).download_path;
      return `${emulator.baseUrl}${path}`;
    });
    return { status: 200, raw: { ...htmlRaw(emulator), data: linked } };
  },
  async 'body.htmlsource'(emulator, captured) {
    const html = visibleContent(captured.message).html;
    if (!html) return CONFLICT;
    return { status: 200, raw: { ...htmlRaw(emulator), data: html } };
  },
  async 'body.raw'(_emulator, captured) {
    return {
      status: 200,
      raw: { contentType: 'text/plain; charset=utf-8', data: await composeMessage(captured.message) },
    };
  },
  async 'body.eml'(_emulator, captured) {
    return {
      status: 200,
      raw: {
        contentType: 'message/rfc822',
        data: await composeMessage(captured.message),
        headers: { 'content-disposition': `attachment; filename="message-${captured.id}.eml"` },
      },
    };
  },
  async mail_headers(_emulator, captured) {
    return { status: 200, body: { headers: mailHeaders(await composeMessage(captured.message)) } };
  },
  async analyze(emulator, captured) {
    const html = visibleContent(captured.message).html ?? '';
    const check = await checkHtml(html, emulator.options.htmlCheckClients);
    return { status: 200, body: await htmlAnalysisReport(check) };
  },
  async spam_report() {
    // Mailtrap's report is SpamAssassin's score and rules; the emulator runs no SpamAssassin and
    // will not make a score up. 501: the server does not have this function (not a fault to retry).
    return {
      status: 501,
      body: {
        error:
          'The spam report is not available in the emulator: Mailtrap computes it with SpamAssassin, which the emulator does not run.',
      },
    };
  },
};

function htmlRaw(emulator: EmulatorContext) {
  const { 'content-type': contentType, ...headers } = htmlPartHeaders(emulator.baseUrl);
  return { contentType: contentType!, headers };
}

export const sandboxMessageRoutes: AccountRoute[] = [
  {
    path: new RegExp(`${MESSAGES}/?$`),
    async handle(emulator, call) {
      const sandboxId = idOf(call.params[0]);
      const sandbox = sandboxId === undefined ? undefined : emulator.sandbox.sandbox(sandboxId);
      if (!sandbox || call.method !== 'GET') return NOT_FOUND;
      const query = new URLSearchParams(call.query);
      const list = emulator.sandbox.messages(sandbox.id, {
        search: query.get('search') ?? undefined,
        page: positiveNumber(query.get('page')),
        lastId: positiveNumber(query.get('last_id')),
      });
      const view = sandboxView(emulator);
      return { status: 200, body: await Promise.all(list.map((captured) => messageJson(view, captured))) };
    },
  },
  {
    path: new RegExp(`${MESSAGES}/([^/]+)/?$`),
    async handle(emulator, call) {
      const captured = capturedOf(emulator, call);
      if (!captured) return NOT_FOUND;
      const view = sandboxView(emulator);
      if (call.method === 'GET') return { status: 200, body: await messageJson(view, captured) };
      if (call.method === 'PATCH' || call.method === 'PUT') {
        const body = await call.body();
        const input = isPlainObject(body) && isPlainObject(body.message) ? body.message : undefined;
        const isRead = readFlag(input?.is_read);
        if (isRead === undefined) return { status: 422, body: { errors: { is_read: ['is invalid'] } } };
        return {
          status: 200,
          body: await messageJson(view, emulator.sandbox.setRead(captured, isRead), 'change'),
        };
      }
      if (call.method === 'DELETE') {
        return {
          status: 200,
          body: await messageJson(view, emulator.sandbox.deleteMessage(captured), 'change'),
        };
      }
      return NOT_FOUND;
    },
  },
  {
    path: new RegExp(`${MESSAGES}/([^/]+)/forward/?$`),
    async handle(emulator, call) {
      const captured = capturedOf(emulator, call);
      if (!captured || call.method !== 'POST') return NOT_FOUND;
      const body = await call.body();
      const email = isPlainObject(body) ? body.email : undefined;
      if (!isEmail(email)) return { status: 422, body: { errors: { email: ['is invalid'] } } };
      emulator.sandbox.forward(captured, email);
      return { status: 200, body: { message: 'Your email message has been successfully forwarded' } };
    },
  },
  {
    path: new RegExp(`${MESSAGES}/([^/]+)/(${Object.keys(PARTS).join('|').replaceAll('.', '\\.')})$`),
    handle(emulator, call) {
      const captured = capturedOf(emulator, call);
      if (!captured || call.method !== 'GET') return NOT_FOUND;
      return PARTS[call.params[2]!]!(emulator, captured);
    },
  },
  {
    path: new RegExp(`${MESSAGES}/([^/]+)/attachments(?:/([^/]+)(/download)?)?/?$`),
    handle(emulator, call) {
      const captured = capturedOf(emulator, call);
      if (!captured || call.method !== 'GET') return NOT_FOUND;
      const view = sandboxView(emulator);
      if (call.params[2] === undefined) {
        const type = new URLSearchParams(call.query).get('attachment_type');
        const list = captured.message.attachments
          .map((_attachment, index) => attachmentJson(view, captured, index))
          .filter((attachment) => !type || attachment.attachment_type === type);
        return { status: 200, body: list };
      }
      const index = captured.attachmentIds.indexOf(idOf(call.params[2]) ?? 0);
      if (index < 0) return NOT_FOUND;
      if (!call.params[3]) return { status: 200, body: attachmentJson(view, captured, index) };
      // the download behind `download_path` (the spec names the path but does not describe it)
      const source = attachmentSources(captured.message)[index];
      if (!source) return NOT_FOUND;
      const { 'content-type': contentType, ...headers } = attachmentHeaders(
        captured.message.attachments[index]!.filename,
        source.type,
      );
      return { status: 200, raw: { contentType: contentType!, data: source.content, headers } };
    },
  },
];
