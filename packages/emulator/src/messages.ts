/**
 * What the sending endpoints do with a parsed body: validation against the limits and the vendor
 * schemas, the sender domain, template rendering, and storing the accepted messages.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorContext, TokenEntry } from './context';
import { isPlainObject } from './http';
import { renderStoredTemplate } from './render';
import type {
  ActiveFault,
  Address,
  MailtrapStream,
  RequestRecord,
  SmtpEnvelope,
  StoredAttachment,
  StoredMessage,
} from './types';
import { BATCH_KEYS, checkMessage, collectUnknownKeys, LIMITS, schemaErrors } from './validation';
import type { FaultContext } from './faults';

function addresses(value: unknown): Address[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: Record<string, unknown>) =>
    item.name === undefined
      ? { email: item.email as string }
      : { email: item.email as string, name: item.name as string },
  );
}

export function recipientsOf(message: Record<string, unknown>, into: Set<string>): Set<string> {
  for (const field of ['to', 'cc', 'bcc']) {
    const list = message[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (isPlainObject(item) && typeof item.email === 'string') into.add(item.email.toLowerCase());
    }
  }
  return into;
}

/** One parsed request to a sending endpoint. */
export interface SendingCall {
  body: unknown;
  /** The body's size in bytes. */
  bytes: number;
  stream: MailtrapStream;
  sandboxId: number | undefined;
  token: TokenEntry;
  record: RequestRecord;
  /** A message received over SMTP: its bytes and envelope (the body was read from them). */
  smtp?: { source: Buffer; envelope: SmtpEnvelope };
}

export interface SendingOutcome {
  status: number;
  body: unknown;
  acceptedIds: string[];
  errors: string[];
  faultItems?: Array<{ rule: ActiveFault; index: number }>;
}

/** Builds and stores one accepted message; returns its ids, or errors when the template fails. */
function accept(
  emulator: EmulatorContext,
  message: Record<string, unknown>,
  stream: MailtrapStream,
  sandboxId: number | undefined,
  origin: {
    requestId: number;
    batchIndex?: number;
    tokenKey: string;
    bytes: number;
    raw: unknown;
    unknownKeys: string[];
    receivedAt: string;
    receivedAtMs: number;
    smtp?: SendingCall['smtp'];
  },
): { ids: string[] } | { errors: string[] } {
  let rendered: StoredMessage['rendered'];
  let templateId: number | undefined;
  if (typeof message.template_uuid === 'string') {
    const template = emulator.templates.byTemplateUuid(message.template_uuid);
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
  const copy = origin.unknownKeys.length > 0;
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
    unknownKeys: origin.unknownKeys,
    requestId: origin.requestId,
    batchIndex: origin.batchIndex,
    receivedAt: origin.receivedAt,
    status: 'delivered',
    tokenKey: origin.tokenKey,
    raw: origin.raw,
  };
  if (origin.smtp) {
    stored.source = origin.smtp.source;
    stored.smtp = origin.smtp.envelope;
  }
  emulator.store.addMessage(
    stored,
    origin.bytes,
    emulator.domainIdOf(stored.from.email),
    origin.receivedAtMs,
  );
  emulator.delivery.accepted(stored);
  emulator.persistence?.messageAccepted(stored);
  return { ids };
}

export function processSend(emulator: EmulatorContext, call: SendingCall): SendingOutcome {
  const { body, bytes, stream, sandboxId, record } = call;
  const requestId = record.id;
  const key = call.token.key;
  if (!isPlainObject(body)) {
    return fail(400, ['request body must be a JSON object']);
  }
  const unknownKeys: string[] = [];
  collectUnknownKeys(body, '', unknownKeys);
  record.unknownKeys = unknownKeys;
  let errors = checkMessage(body);
  if (errors.length === 0 && !emulator.validators.send[stream](body))
    errors = schemaErrors(emulator.validators.send[stream].errors);
  if (errors.length > 0) return fail(400, errors);
  const refusal =
    stream === 'sandbox' ? undefined : emulator.senderRefusal(call.token, (body.from as Address).email);
  if (refusal) return fail(refusal.status, [refusal.error]);
  const now = Date.now();
  const result = accept(emulator, body, stream, sandboxId, {
    requestId,
    tokenKey: key,
    bytes,
    raw: body,
    unknownKeys,
    receivedAt: new Date(now).toISOString(),
    receivedAtMs: now,
    smtp: call.smtp,
  });
  if ('errors' in result) return fail(400, result.errors);
  return {
    status: 200,
    body: { success: true, message_ids: result.ids },
    acceptedIds: result.ids,
    errors: [],
  };
}

export function processBatch(emulator: EmulatorContext, call: SendingCall): SendingOutcome {
  const { body, bytes, stream, sandboxId, record } = call;
  const requestId = record.id;
  const key = call.token.key;
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
  const schemaValid = emulator.validators.batch[stream](body);
  const batchSchemaErrors = schemaValid ? undefined : emulator.validators.batch[stream].errors;
  if (batchSchemaErrors?.[0]?.instancePath.startsWith('/base'))
    return fail(400, schemaErrors(batchSchemaErrors));
  // a batch body under the message limit cannot hold a message over it; otherwise measure each
  // merged message from the sizes of its own fields and of the base's (each measured once)
  const measureItems = bytes > emulator.settings.maxMessageBytes;
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
    if (errors.length === 0 && !schemaValid && !emulator.validators.send[stream](message)) {
      errors = schemaErrors(emulator.validators.send[stream].errors);
    }
    if (errors.length === 0 && measureItems) {
      const size = mergedSize(item);
      if (size > emulator.settings.maxMessageBytes)
        errors = [
          `message is too large (${size} bytes, maximum is ${emulator.settings.maxMessageBytes} bytes)`,
        ];
    }
    const refusal =
      errors.length === 0 && stream !== 'sandbox'
        ? emulator.senderRefusal(call.token, (message.from as Address).email)
        : undefined;
    if (refusal) errors = [refusal.error];
    if (errors.length > 0) responses[index] = { success: false, errors };
    else merged[index] = message;
  }
  const context: FaultContext = { kind: 'batch', stream };
  const failures = emulator.faults.hasItemRules()
    ? emulator.faults.itemFailures(
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
    const result = accept(emulator, message, stream, sandboxId, {
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

export function fail(status: number, errors: string[]): SendingOutcome {
  return { status, body: { success: false, errors }, acceptedIds: [], errors };
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}
