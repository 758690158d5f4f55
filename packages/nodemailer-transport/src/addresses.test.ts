import { MailtrapValidationError } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapTransport } from './index';
import { mapThroughNodemailer, nodemailerMajors } from './test-helpers';

const base = { from: 'shop@example.com', to: 'jane@example.org', subject: 'S', text: 'T' };

async function refused(extra: Record<string, unknown>, nodemailerModule = nodemailerMajors[0]![1]) {
  const error = await mapThroughNodemailer({ ...base, ...extra }, { nodemailer: nodemailerModule }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(MailtrapValidationError.isInstance(error)).toBe(true);
  return error as MailtrapValidationError;
}

describe('invalid addresses are named, with the reason, before sending', () => {
  for (const [label, nodemailerModule] of nodemailerMajors) {
    describe(label, () => {
      it("to: 'bob example.org' (no @), not 'needs at least one recipient'", async () => {
        const error = await refused({ to: 'bob example.org' }, nodemailerModule);
        expect(error.field).toBe('to');
        expect(error.message).toContain('"bob example.org"');
        expect(error.message).toContain('has no @');
        expect(error.message).not.toContain('recipient');
      });

      it("to: '<>' (an empty address)", async () => {
        const error = await refused({ to: '<>' }, nodemailerModule);
        expect(error.field).toBe('to');
        expect(error.message).toContain('empty address');
      });

      it('bob@example (a domain without a dot, which the API refuses with a 400)', async () => {
        const error = await refused({ to: 'bob@example' }, nodemailerModule);
        expect(error.field).toBe('to');
        expect(error.message).toContain('"bob@example"');
        expect(error.message).toContain('without a dot');
      });
    });
  }

  it('the entry of a list is named by its index, in a comma list by its text', async () => {
    const listed = await refused({ cc: ['ann@example.org', 'bob@example'] });
    expect(listed.field).toBe('cc[1]');
    const inText = await refused({ bcc: 'ann@example.org, "Bob" <bob@@example.org>' });
    expect(inText.field).toBe('bcc');
    expect(inText.message).toContain('bob@@example.org');
  });

  it('address objects, replyTo and from are checked the same way', async () => {
    expect((await refused({ to: { name: 'Bob', address: 'bob@' } })).field).toBe('to');
    expect((await refused({ replyTo: 'reply example.org' })).field).toBe('replyTo');
    expect((await refused({ from: 'shop@localhost' })).field).toBe('from');
  });

  it('valid forms pass: names with commas, groups, IDN domains, plus addressing', async () => {
    const mapped = await mapThroughNodemailer({
      ...base,
      to: ['"Doe, Jane" <jane@example.org>', { name: 'Ann', address: 'ann+tag@bücher.example' }],
      cc: 'Team: a@example.org, b@example.org;',
    });
    expect(mapped.payload.to).toEqual([
      { email: 'jane@example.org', name: 'Doe, Jane' },
      { email: 'ann+tag@xn--bcher-kva.example', name: 'Ann' },
    ]);
    expect(mapped.payload.cc).toHaveLength(2);
  });
});

describe('on the wire', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.close());

  for (const batching of [false, true]) {
    it(`nothing reaches the API for an invalid address (batching ${batching ? 'on' : 'off'})`, async () => {
      const transporter = nodemailer.createTransport(
        MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false, batching }),
      );
      try {
        const error = await transporter
          .sendMail({ ...base, to: 'bob@example' })
          .catch((caught: unknown) => caught);
        expect((error as MailtrapValidationError).field).toBe('to');
        expect(emulator.requests()).toHaveLength(0);
      } finally {
        transporter.close();
      }
    });
  }
});

describe('the common forms read without Nodemailer’s parser give what Nodemailer’s parser gives', () => {
  const inputs: Array<Record<string, unknown>> = [
    { from: 'shop@example.com', to: 'jane@example.org' },
    { from: '"Shop" <shop@example.com>', to: 'Jane Doe <jane@example.org>' },
    { from: '"Shop, Inc." <shop@example.com>', to: ['a@example.org', 'b@example.org', 'a@example.org'] },
    { from: 'Shop <Shop@Example.COM>', to: 'first.last+tag@Sub.Example.org', cc: '"" <c@example.org>' },
    { from: 'shop@example.com', to: '"O\'Brien (home)" <ob@example.org>', bcc: ['x@example.org'] },
    { from: 'shop@example.com', to: "o'brien@example.org", replyTo: 'Support <support@example.com>' },
    { from: 'shop@example.com', to: '"  spaced  " <s@example.org>' }, // left to Nodemailer's parser
    { from: 'shop@example.com', to: '=?UTF-8?B?SsO2cmc=?= <j@example.org>' }, // likewise
  ];
  for (const [label, nodemailerModule] of nodemailerMajors) {
    it(label, async () => {
      const { simpleAddresses } = await import('./addresses');
      let fast = 0;
      for (const input of inputs) {
        let compared = false;
        const transporter = nodemailerModule.createTransport({
          name: 'compare',
          version: '1',
          send(
            mail: { data: Record<string, unknown>; message: any },
            callback: (error: Error | null) => void,
          ) {
            const simple = simpleAddresses(mail.data);
            if (simple) {
              fast++;
              const parsed = mail.message.getAddresses();
              const normalized = (list: Array<{ address: string; name?: string }> = []) =>
                list.map(({ address, name }) => (name ? { address, name } : { address }));
              for (const key of ['from', 'to', 'cc', 'bcc', 'reply-to']) {
                expect(normalized(simple[key]), `${key} of ${JSON.stringify(input)}`).toEqual(
                  normalized(parsed[key]),
                );
              }
            }
            compared = true;
            callback(null);
          },
        });
        await transporter.sendMail({ ...input, subject: 'S', text: 'T' });
        expect(compared).toBe(true);
      }
      expect(fast).toBe(6); // the last two are left to Nodemailer's parser
    });
  }
});
