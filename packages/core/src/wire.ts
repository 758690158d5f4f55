import { utf8Decode } from './bytes';
import type { BatchMessage, BatchSendRequest, SendMail } from './types';

// What the official `mailtrap` package accepts and the API takes in another form, converted here
// instead of refused, so code moving over keeps working: `custom_variables` with number or boolean
// values (sent as their string form: the API keeps custom variables as strings), and `text`/`html`
// given as a Buffer or Uint8Array (sent as UTF-8 text). Everything else is sent as given.

function needsConversion(mail: Partial<SendMail> | undefined): boolean {
  if (typeof mail !== 'object' || mail === null) return false;
  if (mail.text instanceof Uint8Array || mail.html instanceof Uint8Array) return true;
  const variables = mail.custom_variables;
  if (typeof variables !== 'object' || variables === null) return false;
  for (const key in variables) {
    const value = (variables as Record<string, unknown>)[key];
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return true;
  }
  return false;
}

const utf8 = utf8Decode;

function convert<T extends Partial<SendMail>>(mail: T): T {
  const copy: T = { ...mail };
  if (mail.text instanceof Uint8Array) copy.text = utf8(mail.text);
  if (mail.html instanceof Uint8Array) copy.html = utf8(mail.html);
  const variables = mail.custom_variables as Record<string, unknown> | undefined;
  if (typeof variables === 'object' && variables !== null) {
    const strings: Record<string, unknown> = {};
    for (const key in variables) {
      const value = variables[key];
      strings[key] =
        typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
          ? String(value)
          : value;
    }
    copy.custom_variables = strings as Record<string, string>;
  }
  return copy;
}

/**
 * A message in the API's wire form, as `send` and `batchSend` send it: `custom_variables` numbers and
 * booleans as strings, `text`/`html` bytes as UTF-8 text. The same object when nothing needs converting.
 */
export function toWireMail<T extends Partial<SendMail>>(mail: T): T {
  return needsConversion(mail) ? convert(mail) : mail;
}

/** The batch in the API's wire form; the same object when nothing needs converting. @internal */
export function toWireBatch(batch: BatchSendRequest): BatchSendRequest {
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.requests)) return batch;
  const base = batch.base !== undefined ? toWireMail(batch.base) : undefined;
  let requests: BatchMessage[] | undefined;
  for (let index = 0; index < batch.requests.length; index++) {
    const request = batch.requests[index]!;
    if (!needsConversion(request)) continue;
    requests ??= batch.requests.slice();
    requests[index] = convert(request);
  }
  if (base === batch.base && requests === undefined) return batch;
  return { ...batch, ...(base !== undefined ? { base } : {}), requests: requests ?? batch.requests };
}
