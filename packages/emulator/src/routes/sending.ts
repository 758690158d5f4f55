/**
 * The sending hosts: POST /api/send and /api/batch on the transactional, bulk and sandbox streams
 * (`/transactional`, `/bulk`, `/sandbox` prefixes; no prefix is the transactional host).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth';
import type { EmulatorContext } from '../context';
import type { FaultContext } from '../faults';
import { BodyTooLargeError, drain, isPlainObject, readBody, sendJson } from '../http';
import { processBatch, processSend, recipientsOf } from '../messages';
import {
  answersNow,
  applyFault,
  applyLatency,
  breakConnection,
  rateLimited,
  recordItemFaults,
} from '../request-faults';
import { streamOf } from '../store';
import type { MailtrapStream } from '../types';

const TOO_LARGE_PAGE =
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const SENDING_ROUTE = /^(?:\/(transactional|bulk|sandbox))?\/api\/(send|batch)(?:\/([^/]+))?\/?$/;

export async function handleSending(
  emulator: EmulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
  match: RegExpExecArray,
  path: string,
  started: number,
): Promise<void> {
  const { settings, faults } = emulator;
  const [, prefix, action, idPart] = match;
  const kind = action as 'send' | 'batch';
  // no prefix: the transactional host, where /api/send/{id} is not a sandbox send (a 404, as there)
  const stream: MailtrapStream | undefined = prefix === undefined ? 'transactional' : streamOf(prefix);
  const record = emulator.newRecord(request, path, kind);
  record.stream = stream;
  const reject = (status: number, errors: string[], headers?: Record<string, string>) => {
    record.errors = errors;
    emulator.finish(record, started, status);
    drain(request);
    sendJson(response, status, { success: false, errors }, headers);
  };
  /** Over the size limit: Mailtrap's front server answers with its own HTML page, not JSON. */
  const tooLarge = (what: 'send' | 'batch', bytes: number) => {
    record.errors = [
      `413 Request Entity Too Large (a ${what === 'batch' ? 'batch' : 'message'} may be at most ${bytes} bytes)`,
    ];
    emulator.finish(record, started, 413);
    drain(request);
    if (response.destroyed) return;
    response.writeHead(413, {
      'content-type': 'text/html',
      'content-length': Buffer.byteLength(TOO_LARGE_PAGE),
      connection: 'close',
    });
    response.end(TOO_LARGE_PAGE);
  };
  let sandboxId: number | undefined;
  if (stream === 'sandbox') {
    sandboxId = Number(idPart);
    if (idPart === undefined || !emulator.sandbox.accepts(sandboxId)) {
      return reject(404, [
        idPart === undefined
          ? 'Not Found: the sandbox stream needs a sandbox id in the path'
          : `Not Found: no sandbox ${idPart}`,
      ]);
    }
  } else if (idPart !== undefined || !stream) {
    return reject(404, ['Not Found']);
  }
  if (request.method !== 'POST') return reject(405, ['Method Not Allowed']);

  const auth = authenticate(emulator, request);
  if (auth.problem)
    return reject(401, ['Unauthorized: send the token in Authorization or Api-Token, not both']);
  if (!auth.token) return reject(401, ['Unauthorized']);
  const key = auth.token.key;
  record.tokenKey = key;
  if (!auth.token.streams.has(stream))
    return reject(401, [`Unauthorized: the token has no access to the ${stream} stream`]);

  const wait = rateLimited(emulator, key, record);
  if (wait > 0)
    return reject(429, ['Rate limit exceeded'], { 'retry-after': String(Math.ceil(wait / 1000)) });

  const faultContext: FaultContext = { kind, stream };
  await applyLatency(emulator, faults.takeLatency(faultContext, 'headers'), record);
  let pending = faults.take(faultContext, 'headers');
  if (answersNow(pending))
    return applyFault(emulator, pending!, request, response, record, started, 'sending');

  const limit = kind === 'batch' ? settings.maxBatchBytes : settings.maxMessageBytes;
  let raw: Buffer;
  try {
    raw = await readBody(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge(kind, limit);
    emulator.finish(record, started, undefined);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return reject(400, ['request body is not valid JSON']);
  }

  if (!pending && faults.needsBody(faultContext)) {
    const recipients = new Set<string>();
    if (isPlainObject(body)) {
      if (kind === 'send') recipientsOf(body, recipients);
      else if (Array.isArray(body.requests))
        for (const item of body.requests) if (isPlainObject(item)) recipientsOf(item, recipients);
    }
    await applyLatency(emulator, faults.takeLatency({ ...faultContext, recipients }, 'body'), record);
    pending = faults.take({ ...faultContext, recipients }, 'body');
    // a reset "before the body" here: the body is already read, nothing was accepted
    if (answersNow(pending))
      return applyFault(emulator, pending!, request, response, record, started, 'sending');
  }

  const call = { body, bytes: raw.length, stream, sandboxId, token: auth.token, record };
  const processCall = kind === 'send' ? processSend : processBatch;
  // with a data dir, a batch's messages are written in one transaction
  const outcome = emulator.persistence
    ? emulator.persistence.inOneWrite(() => processCall(emulator, call))
    : processCall(emulator, call);
  record.acceptedMessageIds = outcome.acceptedIds;
  record.errors = outcome.errors;
  if (outcome.faultItems && outcome.faultItems.length > 0)
    recordItemFaults(emulator, record, outcome.status, outcome.faultItems);
  if (pending?.kind === 'reset_after_body')
    return breakConnection(emulator, pending, request, record, started);
  if (pending?.kind === 'server_error')
    return applyFault(emulator, pending!, request, response, record, started, 'sending');
  emulator.finish(record, started, outcome.status);
  sendJson(response, outcome.status, outcome.body);
}
