import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type AccountAnswer,
  getEmailLog,
  listEmailLogs,
  parseNestedQuery,
  type SuppressionRecord,
  suppressionRecords,
  TemplateStore,
  templateRoute,
} from './account';
import { type FaultContext, FaultEngine, checkFaultOptions } from './faults';
import { inboxPage } from './inbox';
import { renderStoredTemplate } from './render';
import { logEntry, Store, streamOf } from './store';
import type {
  ActiveFault,
  Address,
  EmulatorOptions,
  FaultOptions,
  MailtrapStream,
  RequestRecord,
  RunningEmulator,
  StoredAttachment,
  StoredMessage,
} from './types';
import {
  BATCH_KEYS,
  checkMessage,
  collectUnknownKeys,
  LIMITS,
  schemaErrors,
  schemaValidators,
} from './validation';

const ALL_STREAMS: MailtrapStream[] = ['transactional', 'bulk', 'sandbox'];
const SENDING_ROUTE = /^(?:\/(transactional|bulk|sandbox))?\/api\/(send|batch)(?:\/([^/]+))?\/?$/;
const DEFAULT_DOMAINS = ['example.com', 'mailtrap-kit.test'];

interface TokenEntry {
  streams: Set<MailtrapStream>;
  key: string;
}

/** A short, stable name for a token that never reveals it. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class BodyTooLargeError extends Error {}

/** Reads a request body up to `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    request.on('aborted', () => {
      if (done) return;
      done = true;
      reject(new Error('request aborted'));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function addresses(value: unknown): Address[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: Record<string, unknown>) =>
    item.name === undefined
      ? { email: item.email as string }
      : { email: item.email as string, name: item.name as string },
  );
}

function recipientsOf(message: Record<string, unknown>, into: Set<string>): Set<string> {
  for (const field of ['to', 'cc', 'bcc']) {
    const list = message[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (isPlainObject(item) && typeof item.email === 'string') into.add(item.email.toLowerCase());
    }
  }
  return into;
}

interface SendingOutcome {
  status: number;
  body: unknown;
  acceptedIds: string[];
  errors: string[];
  faultItems?: Array<{ rule: ActiveFault; index: number }>;
}

/** Starts the emulator on loopback; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const accountId = options.accountId ?? 1;
  const pageSize = options.emailLogsPageSize ?? 50;
  const maxMessageBytes = options.maxMessageBytes ?? LIMITS.maxMessageBytes;
  const maxBatchBytes = options.maxBatchBytes ?? LIMITS.maxBatchBytes;
  const sandboxIds = options.sandboxIds ? new Set(options.sandboxIds) : undefined;
  const allowAnyDomain = options.allowAnyDomain ?? false;
  const verifiedDomains = new Set(
    (options.verifiedDomains ?? DEFAULT_DOMAINS).map((domain) => domain.toLowerCase()),
  );
  const tokenSettings =
    options.tokens && options.tokens.length > 0
      ? options.tokens
      : [{ token: `emulator-${randomBytes(16).toString('hex')}`, streams: ALL_STREAMS }];
  const tokens = new Map<string, TokenEntry>();
  for (const setting of tokenSettings) {
    if (typeof setting.token !== 'string' || setting.token === '') {
      throw new TypeError('startEmulator: every entry of `tokens` needs a non-empty `token`');
    }
    tokens.set(setting.token, {
      streams: new Set(setting.streams ?? ALL_STREAMS),
      key: tokenKey(setting.token),
    });
  }
  const validators = schemaValidators();
  const store = new Store({
    retainBodies: options.retainBodies ?? 10_000,
    retainBodyBytes: options.retainBodyBytes ?? 256 * 1024 * 1024,
    retainLogs: options.retainLogs ?? 100_000,
    retainRequests: options.retainRequests ?? 10_000,
  });
  const faults = new FaultEngine(options.rateLimit ?? false);
  faults.onRecord = () => {
    store.stats.faults++;
  };
  const templates = new TemplateStore();
  const seedTemplates = () => {
    templates.clear();
    for (const template of options.templates ?? []) templates.create(template);
  };
  seedTemplates();
  const suppressions: SuppressionRecord[] = suppressionRecords(options.suppressions ?? []);
  let requestSequence = 0;
  const sockets = new Set<Socket>();
  const loopbackBound = ['127.0.0.1', 'localhost', '::1'].includes(host) || host.startsWith('127.');
  let baseUrl = '';

  function authenticate(request: IncomingMessage): { token?: TokenEntry; problem?: string } {
    const authorization = request.headers.authorization;
    const apiToken = request.headers['api-token'];
    let value: string | undefined;
    if (typeof authorization === 'string') {
      const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
      value = match?.[1];
    }
    if (typeof apiToken === 'string' && apiToken !== '') {
      if (value !== undefined && value !== apiToken) return { problem: 'conflicting' };
      value = apiToken;
    }
    if (value === undefined) return {};
    return { token: tokens.get(value) };
  }

  function domainAllowed(email: string): boolean {
    if (allowAnyDomain) return true;
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    return verifiedDomains.has(domain);
  }

  function sendJson(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): void {
    if (response.destroyed) return;
    if (status === 204 || body === undefined) {
      response.writeHead(status, headers);
      response.end();
      return;
    }
    const payload = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      ...headers,
    });
    response.end(payload);
  }

  /** Builds and stores one accepted message; returns its ids, or errors when the template fails. */
  function accept(
    message: Record<string, unknown>,
    stream: MailtrapStream,
    sandboxId: number | undefined,
    context: {
      requestId: number;
      batchIndex?: number;
      tokenKey: string;
      bytes: number;
      raw: unknown;
      unknownKeys: string[];
      receivedAt: string;
      receivedAtMs: number;
    },
  ): { ids: string[] } | { errors: string[] } {
    let rendered: StoredMessage['rendered'];
    let templateId: number | undefined;
    if (typeof message.template_uuid === 'string') {
      const template = templates.byTemplateUuid(message.template_uuid);
      if (!template)
        return { errors: [`'template_uuid' ${message.template_uuid} does not match any template`] };
      templateId = template.id;
      try {
        rendered = renderStoredTemplate(
          template,
          message.template_variables as Record<string, unknown> | undefined,
        );
      } catch (error) {
        return { errors: [`template could not be rendered: ${(error as Error).message}`] };
      }
    }
    // the parsed lists are kept as they are unless they carry keys the API drops
    const copy = context.unknownKeys.length > 0;
    const to = copy ? addresses(message.to) : ((message.to as Address[] | undefined) ?? []);
    const cc = copy ? addresses(message.cc) : ((message.cc as Address[] | undefined) ?? []);
    const bcc = copy ? addresses(message.bcc) : ((message.bcc as Address[] | undefined) ?? []);
    const count = to.length + cc.length + bcc.length;
    const ids = new Array<string>(count);
    for (let index = 0; index < count; index++) ids[index] = randomUUID();
    const attachments: StoredAttachment[] = Array.isArray(message.attachments)
      ? message.attachments.map((attachment: Record<string, unknown>) => ({
          filename: attachment.filename as string,
          type: attachment.type as string | undefined,
          disposition: (attachment.disposition as 'inline' | 'attachment' | undefined) ?? 'attachment',
          content_id: attachment.content_id as string | undefined,
          size: Buffer.byteLength(attachment.content as string, 'base64'),
        }))
      : [];
    const from = message.from as Record<string, unknown>;
    const stored: StoredMessage = {
      id: ids[0]!,
      messageIds: ids,
      stream,
      sandboxId,
      from:
        from.name === undefined
          ? { email: from.email as string }
          : { email: from.email as string, name: from.name as string },
      to,
      cc,
      bcc,
      reply_to: isPlainObject(message.reply_to) ? (message.reply_to as unknown as Address) : undefined,
      subject: message.subject as string | undefined,
      text: message.text as string | undefined,
      html: message.html as string | undefined,
      attachments,
      headers: (message.headers as Record<string, string> | undefined) ?? {},
      custom_variables: (message.custom_variables as Record<string, string> | undefined) ?? {},
      category: message.category as string | undefined,
      template_uuid: message.template_uuid as string | undefined,
      template_id: templateId,
      template_variables: message.template_variables as Record<string, unknown> | undefined,
      rendered,
      unknownKeys: context.unknownKeys,
      requestId: context.requestId,
      batchIndex: context.batchIndex,
      receivedAt: context.receivedAt,
      status: 'delivered',
      tokenKey: context.tokenKey,
      raw: context.raw,
    };
    store.addMessage(stored, context.bytes, 1, context.receivedAtMs);
    return { ids };
  }

  function processSend(
    body: unknown,
    bytes: number,
    stream: MailtrapStream,
    sandboxId: number | undefined,
    requestId: number,
    key: string,
    record: RequestRecord,
  ): SendingOutcome {
    if (!isPlainObject(body)) {
      return fail(400, ['request body must be a JSON object']);
    }
    const unknownKeys: string[] = [];
    collectUnknownKeys(body, '', unknownKeys);
    record.unknownKeys = unknownKeys;
    let errors = checkMessage(body);
    if (errors.length === 0 && !validators.send[stream](body))
      errors = schemaErrors(validators.send[stream].errors);
    if (errors.length > 0) return fail(400, errors);
    if (stream !== 'sandbox' && !domainAllowed((body.from as Address).email)) {
      return fail(403, [domainError((body.from as Address).email)]);
    }
    const now = Date.now();
    const result = accept(body, stream, sandboxId, {
      requestId,
      tokenKey: key,
      bytes,
      raw: body,
      unknownKeys,
      receivedAt: new Date(now).toISOString(),
      receivedAtMs: now,
    });
    if ('errors' in result) return fail(400, result.errors);
    return {
      status: 200,
      body: { success: true, message_ids: result.ids },
      acceptedIds: result.ids,
      errors: [],
    };
  }

  function processBatch(
    body: unknown,
    bytes: number,
    stream: MailtrapStream,
    sandboxId: number | undefined,
    requestId: number,
    key: string,
    record: RequestRecord,
  ): SendingOutcome {
    if (!isPlainObject(body)) return fail(400, ['request body must be a JSON object']);
    const unknownKeys: string[] = [];
    for (const name in body) if (!BATCH_KEYS.has(name)) unknownKeys.push(name);
    const base = body.base;
    if (base !== undefined && !isPlainObject(base)) return fail(400, ["'base' must be an object"]);
    if (base) collectUnknownKeys(base, 'base.', unknownKeys);
    const requests = body.requests;
    if (requests === undefined) return fail(400, ["'requests' is required"]);
    if (!Array.isArray(requests)) return fail(400, ["'requests' must be an array"]);
    if (requests.length === 0) return fail(400, ["'requests' must contain at least one message"]);
    if (requests.length > LIMITS.maxBatchRequests) {
      return fail(400, [
        `'requests' must contain at most ${LIMITS.maxBatchRequests} messages (got ${requests.length})`,
      ]);
    }
    if (base) {
      for (const field of ['to', 'cc', 'bcc']) {
        if (base[field] !== undefined) unknownKeys.push(`base.${field}`);
      }
    }
    for (let index = 0; index < requests.length; index++) {
      const item = requests[index];
      if (isPlainObject(item)) collectUnknownKeys(item, `requests[${index}].`, unknownKeys);
    }
    record.unknownKeys = unknownKeys;
    // Recipients in `base` are not part of the schema: the API drops them.
    const baseFields: Record<string, unknown> = {};
    if (base) {
      for (const name in base)
        if (name !== 'to' && name !== 'cc' && name !== 'bcc') baseFields[name] = base[name];
    }
    const schemaValid = validators.batch[stream](body);
    const batchSchemaErrors = schemaValid ? undefined : validators.batch[stream].errors;
    if (batchSchemaErrors?.[0]?.instancePath.startsWith('/base'))
      return fail(400, schemaErrors(batchSchemaErrors));
    // a batch body under the message limit cannot hold a message over it; otherwise measure each
    // merged message from the sizes of its own fields and of the base's (each measured once)
    const measureItems = bytes > maxMessageBytes;
    const baseSizes = new Map<string, number>();
    const mergedSize = (item: Record<string, unknown>): number => {
      let size = 2;
      for (const key in item) size += jsonBytes(item[key]) + key.length + 4;
      for (const key in baseFields) {
        if (key in item) continue;
        let known = baseSizes.get(key);
        if (known === undefined) {
          known = jsonBytes(baseFields[key]);
          baseSizes.set(key, known);
        }
        size += known + key.length + 4;
      }
      return size;
    };
    const responses: Array<{ success: boolean; message_ids?: string[]; errors?: string[] }> = new Array(
      requests.length,
    );
    const merged: Array<Record<string, unknown> | undefined> = new Array(requests.length);
    for (let index = 0; index < requests.length; index++) {
      const item = requests[index];
      if (!isPlainObject(item)) {
        responses[index] = { success: false, errors: ['each request must be a JSON object'] };
        continue;
      }
      const message = base ? { ...baseFields, ...item } : item;
      let errors = checkMessage(message);
      if (errors.length === 0 && !schemaValid && !validators.send[stream](message)) {
        errors = schemaErrors(validators.send[stream].errors);
      }
      if (errors.length === 0 && measureItems) {
        const size = mergedSize(item);
        if (size > maxMessageBytes)
          errors = [`message is too large (${size} bytes, maximum is ${maxMessageBytes} bytes)`];
      }
      if (errors.length === 0 && stream !== 'sandbox' && !domainAllowed((message.from as Address).email)) {
        errors = [domainError((message.from as Address).email)];
      }
      if (errors.length > 0) responses[index] = { success: false, errors };
      else merged[index] = message;
    }
    const context: FaultContext = { kind: 'batch', stream };
    const failures = faults.hasItemRules()
      ? faults.itemFailures(
          context,
          merged.map((message, index) =>
            message ? { index, recipients: recipientsOf(message, new Set()) } : undefined,
          ),
        )
      : undefined;
    const now = Date.now();
    const receivedAt = new Date(now).toISOString();
    const acceptedIds: string[] = [];
    const faultItems: Array<{ rule: ActiveFault; index: number }> = [];
    const share = Math.ceil(bytes / requests.length);
    for (let index = 0; index < requests.length; index++) {
      const message = merged[index];
      if (!message) continue;
      const failure = failures?.get(index);
      if (failure) {
        responses[index] = { success: false, errors: failure.errors };
        faultItems.push({ rule: failure.rule, index });
        continue;
      }
      const result = accept(message, stream, sandboxId, {
        requestId,
        batchIndex: index,
        tokenKey: key,
        bytes: share,
        raw: base ? { base, request: requests[index] } : { request: requests[index] },
        unknownKeys:
          unknownKeys.length === 0
            ? unknownKeys
            : unknownKeys.filter(
                (name) =>
                  name.startsWith(`requests[${index}].`) || name.startsWith('base.') || !name.includes('.'),
              ),
        receivedAt,
        receivedAtMs: now,
      });
      if ('errors' in result) responses[index] = { success: false, errors: result.errors };
      else {
        responses[index] = { success: true, message_ids: result.ids };
        for (const id of result.ids) acceptedIds.push(id);
      }
    }
    const errors: string[] = [];
    for (const response of responses)
      if (response.errors) for (const error of response.errors) errors.push(error);
    return { status: 200, body: { success: true, responses }, acceptedIds, errors, faultItems };
  }

  function domainError(email: string): string {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    return `Forbidden: the sending domain '${domain}' is not verified`;
  }

  function fail(status: number, errors: string[]): SendingOutcome {
    return { status, body: { success: false, errors }, acceptedIds: [], errors };
  }

  function recordFault(
    rule: ActiveFault | { id: 0; kind: 'rate_limit' },
    record: RequestRecord,
    status: number | undefined,
    extra: { items?: number[] } = {},
  ): void {
    record.fault = rule.kind;
    faults.record({
      faultId: rule.id,
      kind: rule.kind,
      requestId: record.id,
      time: new Date().toISOString(),
      path: record.path,
      stream: record.stream,
      status,
      acceptedMessageIds: record.acceptedMessageIds,
      ...extra,
    });
  }

  function finish(record: RequestRecord, started: number, status: number | undefined): void {
    record.status = status;
    record.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const stats = store.stats;
    stats.requests++;
    if (status !== undefined && status >= 200 && status < 300) stats.accepted++;
    else stats.rejected++;
    store.addRequest(record);
    if (eventClients.size > 0) {
      const payload = `event: request\ndata: ${JSON.stringify(requestSummary(record))}\n\n`;
      for (const client of eventClients) client.write(payload);
    }
  }

  /** Delays the request by the latency rules that fired (recorded like every fault). */
  async function applyLatency(rules: ActiveFault[], record: RequestRecord): Promise<void> {
    if (rules.length === 0) return;
    let delay = 0;
    for (const rule of rules) {
      recordFault(rule, record, undefined);
      delay += rule.delayMs ?? 0;
    }
    await sleep(delay);
  }

  /** Answers (or breaks) the request according to a request-level fault. */
  async function applyFault(
    rule: ActiveFault,
    request: IncomingMessage,
    response: ServerResponse,
    record: RequestRecord,
    started: number,
    account: boolean,
  ): Promise<void> {
    switch (rule.kind) {
      case 'rate_limit': {
        const headers: Record<string, string> = {};
        if (rule.retryAfter !== undefined) headers['retry-after'] = rule.retryAfter;
        else if (rule.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(rule.retryAfterSeconds);
        record.errors = ['Rate limit exceeded'];
        recordFault(rule, record, 429);
        finish(record, started, 429);
        drain(request);
        sendJson(
          response,
          429,
          account ? { errors: 'Rate limit exceeded' } : { success: false, errors: ['Rate limit exceeded'] },
          headers,
        );
        return;
      }
      case 'server_error': {
        const status = rule.status ?? 500;
        const message =
          status === 500 ? 'Internal server error' : status === 502 ? 'Bad Gateway' : 'Service Unavailable';
        record.errors = [message];
        recordFault(rule, record, status);
        finish(record, started, status);
        drain(request);
        sendJson(response, status, account ? { error: message } : { success: false, errors: [message] });
        return;
      }
      case 'reset_before_body': {
        recordFault(rule, record, undefined);
        finish(record, started, undefined);
        request.socket.destroy();
        return;
      }
      case 'hang': {
        recordFault(rule, record, undefined);
        finish(record, started, undefined);
        drain(request);
        if (rule.delayMs !== undefined) {
          const timer = setTimeout(() => request.socket.destroy(), rule.delayMs);
          request.socket.once('close', () => clearTimeout(timer));
        }
        return;
      }
      default:
        return;
    }
  }

  function drain(request: IncomingMessage): void {
    request.on('error', () => {});
    request.resume();
  }

  async function handleSending(
    request: IncomingMessage,
    response: ServerResponse,
    match: RegExpExecArray,
    path: string,
    started: number,
  ): Promise<void> {
    const [, prefix, action, idPart] = match;
    const kind = action as 'send' | 'batch';
    const stream: MailtrapStream | undefined =
      prefix === undefined ? (idPart === undefined ? 'transactional' : 'sandbox') : streamOf(prefix);
    const record: RequestRecord = {
      id: ++requestSequence,
      time: new Date().toISOString(),
      method: request.method ?? 'GET',
      path,
      kind,
      stream,
      userAgent: request.headers['user-agent'],
      acceptedMessageIds: [],
      errors: [],
      unknownKeys: [],
    };
    const reject = (status: number, errors: string[], headers?: Record<string, string>) => {
      record.errors = errors;
      finish(record, started, status);
      drain(request);
      sendJson(
        response,
        status,
        { success: false, errors },
        { ...headers, ...(status === 413 ? { connection: 'close' } : {}) },
      );
    };
    let sandboxId: number | undefined;
    if (stream === 'sandbox') {
      sandboxId = Number(idPart);
      if (
        idPart === undefined ||
        !Number.isInteger(sandboxId) ||
        sandboxId < 1 ||
        (sandboxIds && !sandboxIds.has(sandboxId))
      ) {
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

    const auth = authenticate(request);
    if (auth.problem)
      return reject(401, ['Unauthorized: send the token in Authorization or Api-Token, not both']);
    if (!auth.token) return reject(401, ['Unauthorized']);
    const key = auth.token.key;
    record.tokenKey = key;
    if (!auth.token.streams.has(stream))
      return reject(401, [`Unauthorized: the token has no access to the ${stream} stream`]);

    const wait = faults.rateLimitWait(key, Date.now());
    if (wait > 0) {
      recordFault({ id: 0, kind: 'rate_limit' }, record, 429);
      return reject(429, ['Rate limit exceeded'], { 'retry-after': String(Math.ceil(wait / 1000)) });
    }

    const context: FaultContext = { kind, stream };
    await applyLatency(faults.takeLatency(context, 'headers'), record);
    let pending = faults.take(context, 'headers');
    if (
      pending &&
      pending.kind !== 'reset_after_body' &&
      !(pending.kind === 'server_error' && pending.accepted)
    ) {
      return applyFault(pending, request, response, record, started, false);
    }

    let raw: Buffer;
    try {
      raw = await readBody(request, kind === 'batch' ? maxBatchBytes : maxMessageBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return reject(413, [
          kind === 'batch'
            ? `Payload Too Large: a batch may be at most ${maxBatchBytes} bytes`
            : `Payload Too Large: a message may be at most ${maxMessageBytes} bytes`,
        ]);
      }
      finish(record, started, undefined);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reject(400, ['request body is not valid JSON']);
    }

    if (!pending && faults.needsBody(context)) {
      const recipients = new Set<string>();
      if (isPlainObject(body)) {
        if (kind === 'send') recipientsOf(body, recipients);
        else if (Array.isArray(body.requests))
          for (const item of body.requests) if (isPlainObject(item)) recipientsOf(item, recipients);
      }
      await applyLatency(faults.takeLatency({ ...context, recipients }, 'body'), record);
      pending = faults.take({ ...context, recipients }, 'body');
      if (
        pending &&
        pending.kind !== 'reset_after_body' &&
        !(pending.kind === 'server_error' && pending.accepted)
      ) {
        if (pending.kind === 'reset_before_body') {
          // the body is already read: nothing was accepted, the connection breaks
          recordFault(pending, record, undefined);
          finish(record, started, undefined);
          request.socket.destroy();
          return;
        }
        return applyFault(pending, request, response, record, started, false);
      }
    }

    const outcome =
      kind === 'send'
        ? processSend(body, raw.length, stream, sandboxId, record.id, key, record)
        : processBatch(body, raw.length, stream, sandboxId, record.id, key, record);
    record.acceptedMessageIds = outcome.acceptedIds;
    record.errors = outcome.errors;
    if (outcome.faultItems && outcome.faultItems.length > 0) {
      const byRule = new Map<ActiveFault, number[]>();
      for (const { rule, index } of outcome.faultItems) {
        const list = byRule.get(rule) ?? [];
        list.push(index);
        byRule.set(rule, list);
      }
      for (const [rule, items] of byRule) recordFault(rule, record, outcome.status, { items });
    }
    if (pending?.kind === 'reset_after_body') {
      recordFault(pending, record, undefined);
      finish(record, started, undefined);
      request.socket.destroy();
      return;
    }
    if (pending?.kind === 'server_error') {
      return applyFault(pending, request, response, record, started, false);
    }
    finish(record, started, outcome.status);
    sendJson(response, outcome.status, outcome.body);
  }

  async function handleAccount(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: string,
    started: number,
  ): Promise<void> {
    const record: RequestRecord = {
      id: ++requestSequence,
      time: new Date().toISOString(),
      method: request.method ?? 'GET',
      path,
      kind: 'account',
      userAgent: request.headers['user-agent'],
      acceptedMessageIds: [],
      errors: [],
      unknownKeys: [],
    };
    const answer = (result: AccountAnswer, headers?: Record<string, string>) => {
      const body = result.body as Record<string, unknown> | undefined;
      if (result.status >= 400 && body) {
        const errors = body.error ?? body.errors;
        record.errors = typeof errors === 'string' ? [errors] : errors ? [JSON.stringify(errors)] : [];
      }
      finish(record, started, result.status);
      drain(request);
      sendJson(response, result.status, result.body, headers);
    };
    const auth = authenticate(request);
    if (!auth.token) return answer({ status: 401, body: { error: 'Incorrect API token' } });
    record.tokenKey = auth.token.key;
    const wait = faults.rateLimitWait(auth.token.key, Date.now());
    if (wait > 0) {
      recordFault({ id: 0, kind: 'rate_limit' }, record, 429);
      return answer(
        { status: 429, body: { errors: 'Rate limit exceeded' } },
        { 'retry-after': String(Math.ceil(wait / 1000)) },
      );
    }
    await applyLatency(faults.takeLatency({ kind: 'account' }, 'headers'), record);
    const pending = faults.take({ kind: 'account' }, 'headers');
    if (pending && pending.kind !== 'batch_item_failure') {
      if (pending.kind === 'reset_after_body') {
        await readBody(request, maxBatchBytes).catch(() => undefined);
        recordFault(pending, record, undefined);
        finish(record, started, undefined);
        request.socket.destroy();
        return;
      }
      return applyFault(pending, request, response, record, started, true);
    }

    let rest = path;
    const accountMatch = /^\/api\/accounts\/([^/]+)(\/.*)?$/.exec(path);
    if (accountMatch) {
      if (String(accountId) !== accountMatch[1])
        return answer({ status: 403, body: { errors: 'Access forbidden' } });
      rest = `/api${accountMatch[2] ?? ''}`;
    }
    const method = request.method ?? 'GET';
    if (path === '/api/accounts' && method === 'GET') {
      return answer({
        status: 200,
        body: [{ id: accountId, name: 'mailtrap-kit emulator', access_levels: [1000] }],
      });
    }
    const templateMatch = /^\/api\/email_templates(?:\/([^/]+))?\/?$/.exec(rest);
    if (templateMatch) {
      let body: unknown;
      if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
        try {
          const raw = await readBody(request, maxMessageBytes);
          body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
        } catch {
          return answer({ status: 400, body: { error: 'Bad Request' } });
        }
      }
      return answer(templateRoute(templates, method, templateMatch[1], body));
    }
    const logsMatch = /^\/api\/email_logs(?:\/([^/]+))?\/?$/.exec(rest);
    if (logsMatch && method === 'GET') {
      if (logsMatch[1]) return answer(getEmailLog(store, decodeURIComponent(logsMatch[1]), baseUrl));
      const parsed = parseNestedQuery(query);
      return answer(
        listEmailLogs(
          store,
          {
            filters: parsed.filters as Record<string, unknown>,
            search_after: parsed.search_after as string | undefined,
          },
          pageSize,
        ),
      );
    }
    if (/^\/api\/suppressions\/?$/.test(rest) && method === 'GET') {
      const email = new URLSearchParams(query).get('email')?.toLowerCase();
      return answer({
        status: 200,
        body: email ? suppressions.filter((item) => item.email.toLowerCase() === email) : suppressions,
      });
    }
    return answer({ status: 404, body: { error: 'Not Found' } });
  }

  async function handleControl(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: string,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    const readJson = async (): Promise<unknown> => {
      const raw = await readBody(request, 1024 * 1024);
      return raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    };
    try {
      if (path === '/_emulator/messages' && method === 'GET') {
        const params = new URLSearchParams(query);
        let list = store.listMessages();
        const stream = params.get('stream');
        const category = params.get('category');
        const recipient = params.get('recipient')?.toLowerCase();
        const text = params.get('q')?.toLowerCase();
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
        const limit = Number(params.get('limit') ?? 200);
        const summary = params.get('summary') === '1';
        const page = list.slice(-Math.max(1, limit)).reverse();
        return sendJson(response, 200, {
          total: list.length,
          messages: summary ? page.map(messageSummary) : page,
          stats: store.stats,
        });
      }
      const messageMatch = /^\/_emulator\/messages\/([^/]+)(?:\/(html|raw|attachments)(?:\/(\d+))?)?$/.exec(
        path,
      );
      if (messageMatch && method === 'GET') {
        const message = store.message(decodeURIComponent(messageMatch[1]!));
        if (!message)
          return sendJson(response, 404, {
            error: 'message not found (it may have been dropped by retention)',
          });
        const part = messageMatch[2];
        if (!part) return sendJson(response, 200, message);
        if (part === 'raw') return sendJson(response, 200, message.raw);
        if (part === 'html') return sendHtmlPart(response, message);
        return sendAttachment(response, message, Number(messageMatch[3]));
      }
      if (path === '/_emulator/requests' && method === 'GET') {
        const limit = Number(new URLSearchParams(query).get('limit') ?? 0);
        const all = store.requests.toArray();
        if (!(limit > 0)) return sendJson(response, 200, all);
        return sendJson(response, 200, all.slice(-limit).map(requestSummary));
      }
      if (path === '/_emulator/logs' && method === 'GET') {
        return sendJson(response, 200, store.logs.toArray().map(logEntry));
      }
      if (path === '/_emulator/stats' && method === 'GET') return sendJson(response, 200, store.stats);
      if (path === '/_emulator/reset' && method === 'POST') {
        drain(request);
        reset();
        return sendJson(response, 200, { reset: true });
      }
      if (path === '/_emulator/faults') {
        if (method === 'GET')
          return sendJson(response, 200, { active: faults.active(), history: faults.history() });
        if (method === 'DELETE') {
          drain(request);
          faults.clear();
          return sendJson(response, 200, { cleared: true });
        }
        if (method === 'POST') {
          const body = await readJson();
          const list = (Array.isArray(body) ? body : [body]) as FaultOptions[];
          for (const item of list) checkFaultOptions(item);
          return sendJson(response, 201, { ids: list.map((item) => faults.inject(item)) });
        }
      }
      const faultMatch = /^\/_emulator\/faults\/(\d+)$/.exec(path);
      if (faultMatch && method === 'DELETE') {
        drain(request);
        faults.clear(Number(faultMatch[1]));
        return sendJson(response, 200, { cleared: true });
      }
      if (path === '/_emulator/rate-limit') {
        if (method === 'GET') return sendJson(response, 200, { rateLimit: faults.currentRateLimit() });
        if (method === 'POST' || method === 'PUT') {
          const body = (await readJson()) as Record<string, unknown> | undefined;
          faults.rateLimit(body && body.enabled !== false ? (body as never) : false);
          return sendJson(response, 200, { rateLimit: faults.currentRateLimit() });
        }
        if (method === 'DELETE') {
          drain(request);
          faults.rateLimit(false);
          return sendJson(response, 200, { rateLimit: false });
        }
      }
      if (path === '/_emulator/events' && method === 'GET') return openEvents(request, response);
      drain(request);
      return sendJson(response, 404, { error: 'Not Found' });
    } catch (error) {
      return sendJson(response, 400, { error: (error as Error).message });
    }
  }

  function sendHtmlPart(response: ServerResponse, message: StoredMessage): void {
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

  /**
   * The inbox and the control API answer only the emulator's own pages and tools: a request from a
   * page of another origin (CSRF) or through a foreign host name (DNS rebinding) is refused.
   */
  function refuseForeign(request: IncomingMessage): string | undefined {
    const hostHeader = request.headers.host;
    if (hostHeader !== undefined && !isOwnHost(hostHeader)) return `host ${hostHeader} is not allowed`;
    // reads from other origins are stopped by the browser (no CORS headers); changes are refused here
    const origin = request.headers.origin;
    const reads = request.method === 'GET' || request.method === 'HEAD';
    if (!reads && origin !== undefined && hostOf(origin) !== hostHeader) {
      return `requests from ${origin} are not allowed`;
    }
    return undefined;
  }

  function hostOf(origin: string): string {
    try {
      return new URL(origin).host;
    } catch {
      return '';
    }
  }

  function isOwnHost(hostWithPort: string): boolean {
    const name = hostWithPort
      .replace(/:\d+$/, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (!loopbackBound) return true;
    return name === 'localhost' || name === '127.0.0.1' || name === '::1' || name === host.toLowerCase();
  }

  const eventClients = new Set<ServerResponse>();
  store.onMessage((message) => {
    if (eventClients.size === 0) return;
    const payload = `event: message\ndata: ${JSON.stringify(messageSummary(message))}\n\n`;
    for (const client of eventClients) client.write(payload);
  });

  function openEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    eventClients.add(response);
    request.on('close', () => eventClients.delete(response));
  }

  function reset(): void {
    store.reset();
    faults.reset();
    for (const client of eventClients) client.write('event: reset\ndata: {}\n\n');
  }

  const server = createServer((request, response) => {
    const started = performance.now();
    const url = request.url ?? '/';
    const questionMark = url.indexOf('?');
    const path = questionMark === -1 ? url : url.slice(0, questionMark);
    const query = questionMark === -1 ? '' : url.slice(questionMark + 1);
    const handle = async () => {
      const sending = SENDING_ROUTE.exec(path);
      if (sending) return handleSending(request, response, sending, path, started);
      if (path.startsWith('/api/')) return handleAccount(request, response, path, query, started);
      if (path.startsWith('/_emulator/') || path === '/' || path === '/index.html') {
        const refused = refuseForeign(request);
        if (refused) {
          drain(request);
          return sendJson(response, 403, { error: refused });
        }
      }
      if (path.startsWith('/_emulator/')) return handleControl(request, response, path, query);
      if ((path === '/' || path === '/index.html') && request.method === 'GET') {
        drain(request);
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
        return;
      }
      drain(request);
      sendJson(response, 404, { error: 'Not Found' });
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { success: false, errors: [`emulator error: ${(error as Error).message}`] });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : address.address;
  baseUrl = `http://${urlHost}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    endpoints: {
      send: `${baseUrl}/transactional`,
      bulk: `${baseUrl}/bulk`,
      sandbox: `${baseUrl}/sandbox`,
      general: baseUrl,
    },
    token: tokenSettings[0]!.token,
    accountId,
    sandboxId: options.sandboxIds?.[0] ?? 1,
    messages: (filter) => store.listMessages(filter),
    logs: () => store.logs.toArray().map(logEntry),
    requests: () => store.requests.toArray(),
    stats: () => structuredClone(store.stats),
    faults: {
      inject: (fault) => faults.inject(fault),
      rateLimit: (limit) => faults.rateLimit(limit),
      clear: (id) => faults.clear(id),
      active: () => faults.active(),
      history: () => faults.history(),
    },
    waitForMessage(filter, waitOptions = {}) {
      const found = store.listMessages(filter)[0];
      if (found) return Promise.resolve(found);
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return new Promise<StoredMessage>((resolve, reject) => {
        const stop = store.onMessage((message) => {
          if (!store.matches(message, filter)) return;
          clearTimeout(timer);
          stop();
          resolve(message);
        });
        const timer = setTimeout(() => {
          stop();
          const wanted =
            typeof filter === 'function'
              ? 'a message matching the filter function'
              : JSON.stringify(filter ?? {});
          reject(new Error(`waitForMessage: no message matching ${wanted} within ${timeoutMs} ms`));
        }, timeoutMs);
      });
    },
    addTemplate: (template) => templates.create(template),
    reset,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const client of eventClients) client.end();
        eventClients.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

/** A request record without the (possibly long) list of ids: what the inbox shows. */
function requestSummary(record: RequestRecord) {
  const { acceptedMessageIds, ...rest } = record;
  return { ...rest, accepted: acceptedMessageIds.length };
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

function messageSummary(message: StoredMessage) {
  return {
    id: message.id,
    stream: message.stream,
    from: message.from,
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    subject: message.rendered?.subject ?? message.subject ?? '',
    category: message.category ?? null,
    template_uuid: message.template_uuid ?? null,
    attachments: message.attachments.length,
    receivedAt: message.receivedAt,
    recipients: message.messageIds.length,
  };
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
