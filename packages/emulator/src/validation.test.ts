import { describe, expect, it } from 'vitest';
import { checkMessage, collectUnknownKeys, schemaErrors, schemaValidators } from './validation';

const valid = {
  from: { email: 'app@example.com', name: 'App' },
  to: [{ email: 'a@example.org' }],
  subject: 'Hello',
  text: 'Hi',
  html: '<p>Hi</p>',
};

describe('official schemas', () => {
  const { send, batch } = schemaValidators();

  it('are compiled once for every stream', () => {
    expect(schemaValidators().send).toBe(send);
    expect(Object.keys(send).sort()).toEqual(['bulk', 'sandbox', 'transactional']);
  });

  it('accept a message with both text and html (validated as anyOf, see the README)', () => {
    for (const stream of ['transactional', 'bulk', 'sandbox'] as const) {
      expect(send[stream](valid), JSON.stringify(send[stream].errors)).toBe(true);
    }
  });

  it('reject what the vendor schema rejects, with a path in the message', () => {
    expect(send.transactional({ ...valid, from: { email: 'not-an-email' } })).toBe(false);
    expect(schemaErrors(send.transactional.errors)).toEqual(['\'from.email\' must match format "email"']);
    expect(send.transactional({ ...valid, to: [{ email: 'a@example.org', name: 5 }] })).toBe(false);
    expect(schemaErrors(send.transactional.errors)[0]).toContain("'to[0].name'");
    expect(batch.bulk({ requests: 'x' })).toBe(false);
    expect(schemaErrors(batch.bulk.errors)).toEqual(["'requests' must be array"]);
    expect(batch.bulk({})).toBe(false);
    expect(schemaErrors(batch.bulk.errors)).toEqual(["'requests' must have required property 'requests'"]);
    expect(batch.bulk({ requests: Array.from({ length: 501 }, () => ({})) })).toBe(false);
  });

  it('agree with the hand rules on valid messages', () => {
    const templated = {
      from: valid.from,
      to: valid.to,
      template_uuid: '6a1c3b2e-7f4d-4e3a-9c1b-2d5e8f0a1b2c',
      template_variables: { a: [1, { b: null }] },
    };
    for (const message of [valid, templated, { ...valid, html: undefined }, { ...valid, text: undefined }]) {
      const body = JSON.parse(JSON.stringify(message));
      expect(checkMessage(body)).toEqual([]);
      expect(send.transactional(body)).toBe(true);
    }
  });
});

describe('unknown keys', () => {
  it('are collected at the top level, in addresses and in attachments', () => {
    const found: string[] = [];
    collectUnknownKeys(
      {
        ...valid,
        replyTo: 'x',
        cc: [{ email: 'c@example.org', mail: 'x' }],
        attachments: [{ filename: 'a', content: '', encoding: 'base64' }],
      },
      '',
      found,
    );
    expect(found).toEqual(['replyTo', 'cc[0].mail', 'attachments[0].encoding']);
  });
});
