import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from './bytes';
import {
  parseWebhookEvents,
  verifyWebhookSignature,
  verifyWebhookSignatureAsync,
  type WebhookPayload,
} from './index';
import { hmacSha256Matches as webHmacMatches, sha256Hex as webSha256Hex } from './platform.web';

const secret = 'whsec_test_secret';
const payload: WebhookPayload = {
  events: [
    {
      event: 'delivery',
      event_id: 'e-1',
      message_id: 'm-1',
      email: 'r@example.org',
      timestamp: 1_767_225_600,
      sending_stream: 'transactional',
      custom_variables: { run: 'r1' },
    },
    {
      event: 'soft bounce',
      event_id: 'e-2',
      message_id: 'm-2',
      email: 'x@example.org',
      timestamp: 1,
      sending_stream: 'bulk',
      response_code: 450,
    },
  ],
};
const rawBody = JSON.stringify(payload);
const signature = createHmac('sha256', secret).update(rawBody).digest('hex');

describe('verifyWebhookSignature', () => {
  it('accepts the hex HMAC-SHA256 of the raw body (string or bytes, either hex case)', () => {
    expect(verifyWebhookSignature(rawBody, signature, secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(rawBody), signature, secret)).toBe(true);
    expect(verifyWebhookSignature(new TextEncoder().encode(rawBody), signature.toUpperCase(), secret)).toBe(
      true,
    );
  });

  it('rejects a changed body, a wrong secret and malformed signatures', () => {
    expect(verifyWebhookSignature(`${rawBody} `, signature, secret)).toBe(false);
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(rawBody), null, 2), signature, secret)).toBe(
      false,
    );
    expect(verifyWebhookSignature(rawBody, signature, 'other-secret')).toBe(false);
    expect(verifyWebhookSignature(rawBody, signature.slice(0, 62), secret)).toBe(false);
    expect(verifyWebhookSignature(rawBody, `${signature}00`, secret)).toBe(false);
    expect(verifyWebhookSignature(rawBody, 'z'.repeat(64), secret)).toBe(false);
    expect(verifyWebhookSignature(rawBody, '', secret)).toBe(false);
    expect(verifyWebhookSignature(rawBody, signature, '')).toBe(false);
    expect(verifyWebhookSignature(rawBody, undefined as never, secret)).toBe(false);
  });
});

describe('verifyWebhookSignatureAsync (Web Crypto)', () => {
  it('gives the synchronous answer for the same bodies, secrets and signatures', async () => {
    const cases: Array<[string | Uint8Array, string, string]> = [
      [rawBody, signature, secret],
      [new TextEncoder().encode(rawBody), `sha256=${signature.toUpperCase()}`, secret],
      [`${rawBody} `, signature, secret],
      [rawBody, signature, 'other-secret'],
      [rawBody, signature.slice(0, 62), secret],
      [rawBody, 'z'.repeat(64), secret],
      [rawBody, signature, ''],
      [rawBody, undefined as never, secret],
    ];
    const answers = await Promise.all(cases.map((args) => verifyWebhookSignatureAsync(...args)));
    expect(answers).toEqual(cases.map((args) => verifyWebhookSignature(...args)));
    expect(answers.slice(0, 3)).toEqual([true, true, false]);
  });
});

describe("the fetch build's synchronous HMAC and SHA-256 (@noble/hashes)", () => {
  it("agree with node:crypto's", () => {
    const expected = hexToBytes(signature);
    expect(webHmacMatches(secret, rawBody, expected)).toBe(true);
    expect(webHmacMatches(secret, new TextEncoder().encode(rawBody), expected)).toBe(true);
    expect(webHmacMatches('other-secret', rawBody, expected)).toBe(false);
    expect(webHmacMatches(secret, rawBody, expected.subarray(1))).toBe(false);
    expect(webSha256Hex('token-é')).toBe(createHash('sha256').update('token-é').digest('hex'));
  });
});

describe('parseWebhookEvents', () => {
  it('reads the {events} object and JSON Lines', () => {
    expect(parseWebhookEvents(rawBody)).toEqual(payload.events);
    expect(parseWebhookEvents(Buffer.from(rawBody))).toEqual(payload.events);
    const lines = payload.events.map((event) => JSON.stringify(event)).join('\n');
    expect(parseWebhookEvents(`${lines}\n`)).toEqual(payload.events);
    expect(parseWebhookEvents(`${rawBody}\n${rawBody}`)).toEqual([...payload.events, ...payload.events]);
    expect(parseWebhookEvents('  ')).toEqual([]);
  });

  it('throws on a body that is not JSON objects', () => {
    expect(() => parseWebhookEvents('not json')).toThrow();
    expect(() => parseWebhookEvents('[1,2]')).toThrow(/JSON objects/);
    expect(() => parseWebhookEvents('{"events":[]}\n42')).toThrow(/JSON objects/);
  });
});
