import { createHash } from 'node:crypto';
import { renderTemplate } from '@mailtrap-kit/templates';
import { describe, expect, it } from 'vitest';
import { BulkInputError } from './errors';
import {
  type BulkBase,
  buildBatchRequest,
  isSendable,
  jsonBytes,
  type PackedBatch,
  type PackedItem,
  packRecipients,
  type Recipient,
  type RecipientInput,
} from './packer';
import type { BatchMessage } from './wire';

const base: BulkBase = {
  from: { email: 'news@example.com', name: 'News' },
  subject: 'Hello',
  text: 'Hi there',
};

async function collect(
  source: Iterable<RecipientInput> | AsyncIterable<RecipientInput>,
  settings: Partial<Parameters<typeof packRecipients>[1]> = {},
) {
  const batches: PackedBatch[] = [];
  for await (const batch of packRecipients(source, { base, runId: 'run1', ...settings })) batches.push(batch);
  return batches;
}

/** The message an item sends: its JSON text read back (or the message kept as an object). */
function messageOf(item: PackedItem): BatchMessage {
  return item.json !== undefined ? (JSON.parse(item.json) as BatchMessage) : item.message!;
}

function* people(
  count: number,
  extra: (index: number) => Partial<RecipientInput> = () => ({}),
): Generator<RecipientInput> {
  for (let index = 0; index < count; index += 1)
    yield { email: `user${index}@example.org`, name: `User ${index}`, ...extra(index) } as RecipientInput;
}

describe('packRecipients', () => {
  it('splits by 500 requests and numbers every recipient once, in order', async () => {
    const batches = await collect(people(1201));
    expect(batches.map((batch) => batch.count)).toEqual([500, 500, 201]);
    expect(batches.map((batch) => batch.firstSequence)).toEqual([0, 500, 1000]);
    const sequences = batches.flatMap((batch) => batch.items.map((item) => item.sequence));
    expect(sequences).toEqual([...Array(1201).keys()]);
    const request = buildBatchRequest(batches[2]!);
    expect(request.requests).toHaveLength(201);
    expect(request.requests[0]).toEqual({
      to: [{ email: 'user1000@example.org', name: 'User 1000' }],
      custom_variables: { mtk_run: 'run1', mtk_id: '1000' },
    });
    expect(request.base).toEqual(base);
  });

  it('measures every message as its JSON is sent: names and addresses with quotes, escapes, any script', async () => {
    const names = [
      '',
      'Plain Name',
      'Zoë Müller',
      'O"Brien \\ Co',
      'tab\there',
      'emoji 📬',
      '名前',
      '\u0007bell',
    ];
    const emails = ['a@b.io', 'josé@müller.de', "o'brien@example.ie", 'почта@пример.рф'];
    const recipients = names.flatMap((name, index) =>
      emails.map((email) => ({ email, ...(name ? { name } : {}), line: index })),
    );
    for (const runId of ['run1', 'rün "2"']) {
      const [batch] = await collect(recipients, { runId });
      for (const item of batch!.items) {
        const recipient = recipients[item.sequence]!;
        // The JSON text is the message core would have serialized from an object, byte for byte.
        const expected: BatchMessage = {
          to: [
            recipient.name ? { email: recipient.email, name: recipient.name } : { email: recipient.email },
          ],
          custom_variables: { mtk_run: runId, mtk_id: String(item.sequence) },
        };
        expect(item.json).toBe(JSON.stringify(expected));
        expect(item.bytes).toBe(jsonBytes(expected));
      }
    }
    // with mail merge: the JSON is what JSON.stringify writes for the message rendered by the engine
    const merged: BulkBase = {
      from: base.from,
      subject: 'Für {{name}} — "{{city}}"',
      text: 'Hi {{name}},\n\ttab {{{city}}} \\ {{missing}}',
      html: '<p>{{name}} & {{city}}</p>',
    };
    const cities = ['', 'Zürich', 'a "quoted" \\ city\n', '東京 📬', '\u0001'];
    const withCities = recipients.map((recipient, index) => ({
      ...recipient,
      template_variables: { city: cities[index % cities.length] },
    }));
    const [mergedBatch] = await collect(withCities, { base: merged, runId: 'rün "2"' });
    for (const item of mergedBatch!.items) {
      const recipient = withCities[item.sequence]!;
      const rendered = renderTemplate(
        { subject: merged.subject!, body_text: merged.text as string, body_html: merged.html as string },
        {
          email: recipient.email,
          ...(recipient.name ? { name: recipient.name } : {}),
          ...recipient.template_variables,
        },
      );
      const expected = JSON.stringify({
        to: [recipient.name ? { email: recipient.email, name: recipient.name } : { email: recipient.email }],
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        custom_variables: { mtk_run: 'rün "2"', mtk_id: String(item.sequence) },
      });
      expect(item.json).toBe(expected);
      expect(item.bytes).toBe(Buffer.byteLength(expected));
    }
    // a sequence of any number of digits
    const many = await collect(people(12_345), { maxBatchRequests: 500 });
    const last = many.at(-1)!.items.at(-1)!;
    expect(last.sequence).toBe(12_344);
    expect(last.bytes).toBe(jsonBytes(messageOf(last)));
  });

  it('honors a smaller batch size and the byte limit, counting the whole JSON', async () => {
    const small = await collect(people(25), { maxBatchRequests: 10 });
    expect(small.map((batch) => batch.count)).toEqual([10, 10, 5]);

    const bulky = (index: number) => ({ template_variables: { note: 'x'.repeat(1000 + index) } });
    const templateBase: BulkBase = { from: base.from, template_uuid: '0c6f3c3f-5a4e-4f8e-9d1a-111111111111' };
    const maxBatchBytes = 20_000;
    const batches = await collect(people(60, bulky), { base: templateBase, maxBatchBytes });
    expect(batches.length).toBeGreaterThan(3);
    for (const batch of batches) {
      const bytes = Buffer.byteLength(JSON.stringify(buildBatchRequest(batch)));
      expect(bytes).toBeLessThanOrEqual(maxBatchBytes);
    }
    expect(batches.reduce((sum, batch) => sum + batch.count, 0)).toBe(60);
  });

  it('rejects a recipient that can never fit, with the reason, and keeps going', async () => {
    const input: RecipientInput[] = [
      { email: 'ok1@example.org' },
      { email: 'not-an-address' },
      { email: 'big@example.org', overrides: { text: 'y'.repeat(11_000_000) } },
      { email: 'vars@example.org', custom_variables: { blob: 'z'.repeat(990) } },
      { email: 'reserved@example.org', custom_variables: { mtk_id: '7' } },
      {
        email: 'cc@example.org',
        overrides: { cc: Array.from({ length: 1001 }, (_, index) => ({ email: `c${index}@example.org` })) },
      },
      { email: 'bad-row', rejected: 'line 9: unclosed quote' },
      { email: 'ok2@example.org' },
    ];
    const [batch] = await collect(input);
    expect(batch!.count).toBe(8);
    const errors = batch!.items.map((item) => item.error);
    expect(errors[0]).toBeUndefined();
    expect(errors[1]).toMatch(/invalid email address/);
    expect(errors[2]).toMatch(/at most 10485760/);
    expect(errors[3]).toMatch(/custom_variables are \d+ bytes .* at most 1000/);
    expect(errors[4]).toMatch(/reserved/);
    expect(errors[5]).toMatch(/1001 addresses; at most 1000/);
    expect(errors[6]).toBe('line 9: unclosed quote');
    expect(errors[7]).toBeUndefined();
    expect(buildBatchRequest(batch!).requests.map((request) => request.to?.[0]?.email)).toEqual([
      'ok1@example.org',
      'ok2@example.org',
    ]);
  });

  it("rejects alone what core's client would refuse for the whole batch", async () => {
    const input = [
      { email: 'a@example.org', overrides: { replyTo: { email: 'r@example.org' } } },
      { email: 'b@example.org', overrides: { headers: { 'Bad Header:': 'x' } } },
      { email: 'c@example.org' },
    ] as RecipientInput[];
    const [batch] = await collect(input);
    expect(batch!.items[0]!.error).toMatch(/replyTo.*reply_to/);
    expect(batch!.items[1]!.error).toMatch(/header/i);
    expect(batch!.items[2]!.error).toBeUndefined();
  });

  it('moves base custom_variables into each message and merges template variables', async () => {
    const templateBase: BulkBase = {
      from: base.from,
      template_uuid: '0c6f3c3f-5a4e-4f8e-9d1a-111111111111',
      template_variables: { company: 'ACME', greeting: 'Hi' },
      custom_variables: { campaign: 'spring' },
    };
    const [batch] = await collect([{ email: 'a@example.org', template_variables: { greeting: 'Hello' } }], {
      base: templateBase,
    });
    const request = buildBatchRequest(batch!);
    expect(request.base?.custom_variables).toBeUndefined();
    expect(request.requests[0]).toEqual({
      to: [{ email: 'a@example.org' }],
      template_variables: { company: 'ACME', email: 'a@example.org', greeting: 'Hello' },
      custom_variables: { campaign: 'spring', mtk_run: 'run1', mtk_id: '0' },
    });
  });

  it('renders content that uses variables per recipient, and leaves shared content in base', async () => {
    const merged = await collect(
      [
        { email: 'ann@example.org', name: 'Ann', template_variables: { first_name: 'Ann & Co' } },
        { email: 'bob@example.org' },
      ],
      { base: { from: base.from, subject: 'Hi {{first_name}}', html: '<p>{{name}} at {{email}}</p>' } },
    );
    const request = buildBatchRequest(merged[0]!);
    expect(request.base?.subject).toBeUndefined();
    expect(request.base?.html).toBeUndefined();
    expect(request.requests.map(({ subject, html }) => ({ subject, html }))).toEqual([
      { subject: 'Hi Ann &amp; Co', html: '<p>Ann at ann@example.org</p>' },
      { subject: 'Hi ', html: '<p> at bob@example.org</p>' },
    ]);
    const shared = await collect([{ email: 'c@example.org' }]);
    expect(buildBatchRequest(shared[0]!).base?.text).toBe(base.text);
    await expect(
      collect([{ email: 'c@example.org' }], {
        base: { from: base.from, subject: '{{lookup a b}}', text: 't' },
      }),
    ).rejects.toThrow(/lookup/);
  });

  it("writes each merged recipient's subject, text and html as renderTemplate renders them, as JSON.stringify writes them", async () => {
    const content = {
      subject: 'Hi {{first_name}} "{{nick}}"',
      text: 'Dear {{name}},\n\t{{{note}}}\n({{email}})',
      html: '<p>{{name}}: {{note}} {{{note}}} {{{nick}}}{{{tail}}}</p>',
    };
    const values = [
      'plain',
      `O'Brien & "Sons" <Ltd>`,
      'back\\slash \\n not a newline',
      'line\nbreak\r\ttab',
      '\u0000\u0001\b\f\u000b\u001f\u007f',
      'emoji 🎉 👩‍💻 日本語',
      '\u2028\u2029\ufeff',
      'lone \ud83d high',
      'lone \ude00 low',
      '\ud83d',
      '\ude00',
      '',
    ];
    const recipients: RecipientInput[] = values.map((value, index) => ({
      email: `r${index}@example.org`,
      ...(index % 3 === 0 ? {} : { name: `Name ${value}`.replace(/[\r\n]/g, ' ') }),
      template_variables: {
        first_name: `F${index}`,
        nick: value,
        note: values[values.length - 1 - index],
        tail: values[index + 1],
      },
    }));
    // the same recipients with custom variables: packed through the message object instead
    const withVariables = recipients.map((recipient) => ({
      ...(recipient as Recipient),
      custom_variables: { segment: 'a' },
    }));
    const [batch] = await collect(recipients, { base: { from: base.from, ...content } });
    const [objects] = await collect(withVariables, { base: { from: base.from, ...content } });
    expect(batch!.base).toEqual({ from: base.from });
    for (const [index, item] of batch!.items.entries()) {
      const recipient = recipients[index] as Recipient;
      const rendered = renderTemplate(
        { subject: content.subject, body_text: content.text, body_html: content.html },
        {
          email: recipient.email,
          ...(recipient.name ? { name: recipient.name } : {}),
          ...recipient.template_variables,
        },
      );
      const expected: BatchMessage = {
        to: [recipient.name ? { email: recipient.email, name: recipient.name } : { email: recipient.email }],
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        custom_variables: { mtk_run: 'run1', mtk_id: String(index) },
      };
      expect(item.json, JSON.stringify(recipient)).toBe(JSON.stringify(expected));
      expect(item.bytes).toBe(Buffer.byteLength(item.json!));
      const other = JSON.parse(objects!.items[index]!.json!) as BatchMessage;
      expect([other.subject, other.text, other.html]).toEqual([
        rendered.subject,
        rendered.text,
        rendered.html,
      ]);
    }
  });

  it('rejects a recipient whose rendered subject is blank or whose text and html are empty, with its line', async () => {
    const subjectBase: BulkBase = { from: base.from, subject: '{{s}}', text: 'Body' };
    const blanks = ['', ' ', '\t\n\r', '\u000b\f', '\u00a0\u2028\u2029\ufeff\u3000'];
    const kept = ['\b', '\\t', '.', ' x '];
    const input: RecipientInput[] = [...blanks, ...kept].map((s, index) => ({
      email: `s${index}@example.org`,
      template_variables: { s },
      line: index + 2,
    }));
    const [batch] = await collect(input, { base: subjectBase });
    expect(batch!.items.map((item) => item.error)).toEqual([
      ...blanks.map(
        (_, index) => `line ${index + 2}: the subject is empty for this recipient (its variables are empty)`,
      ),
      ...kept.map(() => undefined),
    ]);
    expect(batch!.items.slice(blanks.length).map((item) => messageOf(item).subject)).toEqual(kept);
    // the same answers through the message object (a recipient with custom variables)
    const [objects] = await collect(
      input.map((recipient) => ({ ...(recipient as Recipient), custom_variables: { k: 'v' } })),
      { base: subjectBase },
    );
    expect(objects!.items.map((item) => item.error)).toEqual(batch!.items.map((item) => item.error));

    // a block can leave a subject with text of its own blank; text outside the variables never is
    const [blocks] = await collect(
      [
        { email: 'vip@example.org', template_variables: { vip: true, s: '' } },
        { email: 'plain@example.org', template_variables: { vip: false, s: '' } },
      ],
      { base: { from: base.from, subject: '{{#if vip}}VIP{{/if}}{{s}}', text: 'Body' } },
    );
    expect(blocks!.items.map((item) => item.error)).toEqual([
      undefined,
      'the subject is empty for this recipient (its variables are empty)',
    ]);
    const [spaced] = await collect([{ email: 'x@example.org', template_variables: { s: '' } }], {
      base: { from: base.from, subject: 'News {{s}}', text: 'Body' },
    });
    expect(messageOf(spaced!.items[0]!).subject).toBe('News ');

    const bodyBase: BulkBase = { from: base.from, subject: 'S', text: '{{t}}', html: '{{h}}' };
    const [bodies] = await collect(
      [
        { email: 'both-empty@example.org', template_variables: { t: '', h: null }, line: 4 },
        { email: 'text-only@example.org', template_variables: { t: 'x' }, line: 5 },
        { email: 'html-only@example.org', template_variables: { h: '<b>' }, line: 6 },
        { email: 'missing@example.org', line: 7 },
      ],
      { base: bodyBase },
    );
    expect(bodies!.items.map((item) => item.error)).toEqual([
      'line 4: the text and html are empty for this recipient (its variables are empty)',
      undefined,
      undefined,
      'line 7: the text and html are empty for this recipient (its variables are empty)',
    ]);
    expect(messageOf(bodies!.items[1]!)).toMatchObject({ subject: 'S', text: 'x' });
    expect(messageOf(bodies!.items[1]!).html).toBeUndefined();
    expect(messageOf(bodies!.items[2]!)).toMatchObject({ subject: 'S', html: '&lt;b&gt;' });
    expect(messageOf(bodies!.items[2]!).text).toBeUndefined();
  });

  it('keeps a message whose attachments are read when sent as an object, every other one as JSON', async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const [batch] = await collect([
      { email: 'a@example.org' },
      { email: 'b@example.org', overrides: { attachments: [{ filename: 'b.bin', content: bytes }] } },
      { email: 'c@example.org', overrides: { attachments: [{ filename: 'c.txt', content: 'YWJj' }] } },
      {
        email: 'd@example.org',
        overrides: { attachments: [{ filename: 'd.txt', path: import.meta.filename }] },
      },
    ]);
    expect(batch!.items.map((item) => [item.json !== undefined, item.message !== undefined])).toEqual([
      [true, false],
      [false, true],
      [true, false],
      [false, true],
    ]);
    expect(batch!.items.every(isSendable)).toBe(true);
    expect(batch!.items[1]!.message!.attachments![0]!.content).toBe(bytes);
    expect(batch!.items[1]!.bytes).toBe(jsonBytes(batch!.items[1]!.message!));
    expect(messageOf(batch!.items[2]!).attachments).toEqual([{ filename: 'c.txt', content: 'YWJj' }]);
    const request = buildBatchRequest(batch!);
    expect(request.requests.map((message) => message.to?.[0]?.email)).toEqual([
      'a@example.org',
      'b@example.org',
      'c@example.org',
      'd@example.org',
    ]);
    expect(request.requests[1]).toBe(batch!.items[1]!.message);
  });

  it("writes a recipient's bodies given as bytes as their UTF-8 text", async () => {
    const overrides = { text: Buffer.from('Grüße ✓'), html: new TextEncoder().encode('<p>✓</p>') };
    const [batch] = await collect([{ email: 'a@example.org', overrides }, { email: 'b@example.org' }]);
    const first = messageOf(batch!.items[0]!);
    expect([first.text, first.html]).toEqual(['Grüße ✓', '<p>✓</p>']);
    expect(batch!.items[0]!.bytes).toBe(Buffer.byteLength(batch!.items[0]!.json!));
    expect(buildBatchRequest(batch!).requests[0]).toMatchObject({ text: 'Grüße ✓', html: '<p>✓</p>' });
    // with an attachment read when sent, the message kept as an object has the text too
    const [withFile] = await collect([
      {
        email: 'a@example.org',
        overrides: { ...overrides, attachments: [{ filename: 'a', content: new Uint8Array(3) }] },
      },
    ]);
    expect(withFile!.items[0]!.message).toMatchObject({ text: 'Grüße ✓', html: '<p>✓</p>' });
  });

  it('skips a repeated address (any case) when told to, keeping every sequence', async () => {
    const input = [{ email: 'a@example.org' }, { email: 'B@example.org' }, { email: 'A@Example.org' }];
    const [batch] = await collect(input, { skipDuplicates: true });
    expect(batch!.items.map((item) => [item.sequence, item.duplicate === true, isSendable(item)])).toEqual([
      [0, false, true],
      [1, false, true],
      [2, true, false],
    ]);
    const [all] = await collect(input);
    expect(all!.items.every(isSendable)).toBe(true);
  });

  it('drops template variables from content campaigns and counts attachments as base64', async () => {
    const [batch] = await collect([{ email: 'a@example.org', template_variables: { x: '1' } }]);
    expect(messageOf(batch!.items[0]!).template_variables).toBeUndefined();
    const withFile = {
      from: base.from,
      subject: 's',
      text: 't',
      attachments: [{ filename: 'a.bin', content: new Uint8Array(300) }],
    };
    expect(jsonBytes(withFile)).toBeGreaterThanOrEqual(400);
    expect(jsonBytes(withFile)).toBeLessThan(600);
  });

  it('is deterministic: the same input packs to the same fingerprints', async () => {
    const first = await collect(people(1100), { maxBatchRequests: 300 });
    const second = await collect(people(1100), { maxBatchRequests: 300 });
    expect(first.map((batch) => batch.fingerprint)).toEqual(second.map((batch) => batch.fingerprint));
    const other = await collect(
      people(1100, (index) => (index === 5 ? { email: 'changed@example.org' } : {})),
      { maxBatchRequests: 300 },
    );
    expect(other[0]!.fingerprint).not.toBe(first[0]!.fingerprint);
    expect(other[1]!.fingerprint).toBe(first[1]!.fingerprint);
  });

  it('fingerprints a batch as the sha256 of its `<sequence>:<email>` lines (what journals hold)', async () => {
    // Long and non-ASCII addresses: a batch's text outgrows the first buffer and is written as UTF-8.
    const address = (index: number) =>
      index % 7 === 3
        ? `jürgen.${index}@bücher.example`
        : `user.${index}@${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(50)}.example.com`;
    const batches = await collect(
      people(1300, (index) => ({ email: address(index) })),
      { maxBatchRequests: 500 },
    );
    expect(batches.map((batch) => batch.count)).toEqual([500, 500, 300]);
    for (const batch of batches) {
      const text = batch.items.map((item) => `${item.sequence}:${item.email}\n`).join('');
      expect(batch.fingerprint).toBe(createHash('sha256').update(text).digest('hex').slice(0, 16));
    }
    expect(batches[2]!.items.at(-1)!.email).toBe(address(1299));
    expect(batches.every((batch) => batch.items.every(isSendable))).toBe(true);
  });

  it('takes a base whose text and html are bytes, and number custom_variables, as core sends them', async () => {
    const batches = await collect(people(3), {
      base: {
        from: base.from,
        subject: 'Hi {{name}}',
        text: Buffer.from('Grüße, {{name}}'),
        html: new TextEncoder().encode('<p>{{name}}</p>'),
        custom_variables: { campaign: 7, test: false } as unknown as Record<string, string>,
      },
    });
    const [first] = batches[0]!.items.map(messageOf);
    expect(first).toMatchObject({ subject: 'Hi User 0', text: 'Grüße, User 0', html: '<p>User 0</p>' });
    expect(first!.custom_variables).toMatchObject({ campaign: '7', test: 'false' });
    const plain = await collect(people(1), { base: { ...base, text: Buffer.from('Hello there') } });
    expect(plain[0]!.base.text).toBe('Hello there');
  });

  it('refuses an unusable base before packing anything, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ subject: 's', text: 't' }, 'base.from'],
      [{ from: { email: 'x@example.com' }, text: 't' }, 'base.subject'],
      [{ from: { email: 'x@example.com' }, subject: 's' }, 'base.text'],
      [{ from: { email: 'x@example.com' }, template_uuid: 'nope' }, 'base.template_uuid'],
      [
        {
          from: { email: 'x@example.com' },
          template_uuid: '0c6f3c3f-5a4e-4f8e-9d1a-111111111111',
          subject: 's',
        },
        'base.subject',
      ],
      [
        { from: { email: 'x@example.com' }, subject: 's', text: 't', to: [{ email: 'a@example.org' }] },
        'base.to',
      ],
      [
        { from: { email: 'x@example.com' }, subject: 's', text: 't', custom_variables: { mtk_run: 'x' } },
        'base.custom_variables',
      ],
    ];
    for (const [candidate, field] of cases) {
      const error = await collect(people(1), { base: candidate as BulkBase }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BulkInputError);
      expect((error as BulkInputError).field).toBe(field);
    }
    await expect(collect(people(1), { maxBatchRequests: 501 })).rejects.toThrow(/maxBatchRequests/);
  });
});
