import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BulkInputError } from './errors';
import type { RecipientInput } from './packer';
import { primed } from './cli-input';
import { blocksOf } from './recipient-blocks';
import { readCsvRecipients, readNdjsonRecipients } from './readers';

async function all(source: AsyncIterable<RecipientInput>): Promise<RecipientInput[]> {
  const items: RecipientInput[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The recipients as packRecipients reads them: through the reader's chunks. */
async function byBlocks(
  source: AsyncIterable<RecipientInput>,
): Promise<{ items: RecipientInput[]; blocks: number }> {
  const chunks = blocksOf(source);
  if (!chunks) throw new Error('the reader attached no chunks');
  const items: RecipientInput[] = [];
  let blocks = 0;
  for await (const block of chunks) {
    blocks += 1;
    items.push(...block);
  }
  return { items, blocks };
}

describe('readCsvRecipients', () => {
  it('reads a file: email, name, custom_variables.* and every other column as template variables', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'bulk-csv-'));
    const file = join(directory, 'list.csv');
    writeFileSync(
      file,
      '\ufeffEmail,Name,city,custom_variables.segment\r\na@example.org,Ann,"Berlin, DE",vip\r\n\r\nb@example.org,,Rome,\r\n',
    );
    expect(await all(readCsvRecipients(file))).toEqual([
      {
        email: 'a@example.org',
        name: 'Ann',
        template_variables: { city: 'Berlin, DE' },
        custom_variables: { segment: 'vip' },
        line: 2,
      },
      {
        email: 'b@example.org',
        template_variables: { city: 'Rome' },
        custom_variables: { segment: '' },
        line: 4,
      },
    ]);
  });

  it('detects a semicolon or tab delimiter from the header, or takes the one given', async () => {
    const semicolon = await all(
      readCsvRecipients(Readable.from(['email;first_name\na@example.org;"Ann; A."\n'])),
    );
    expect(semicolon).toEqual([
      { email: 'a@example.org', template_variables: { first_name: 'Ann; A.' }, line: 2 },
    ]);
    const tab = await all(readCsvRecipients(Readable.from(['email\tcity\nb@example.org\tRome, IT\n'])));
    expect(tab).toEqual([{ email: 'b@example.org', template_variables: { city: 'Rome, IT' }, line: 2 }]);
    const given = await all(
      readCsvRecipients(Readable.from(['email;a,b\nc@example.org;x,y\n']), { delimiter: ';' }),
    );
    expect(given).toEqual([{ email: 'c@example.org', template_variables: { 'a,b': 'x,y' }, line: 2 }]);
  });

  it('gives each broken row its own rejection and goes on', async () => {
    const long = 'x'.repeat(2000);
    const text = [
      'email,name,city',
      'a@example.org,A,Berlin',
      'b@example.org,"B unclosed,Paris',
      'c@example.org,C',
      'd@example.org,D,Rome,extra',
      `e@example.org,${long},Oslo`,
      ',F,Lima',
      'g@example.org,"G, multi',
      'line",Quito',
      'h@example.org,H"x"y,Kyiv',
      'i@example.org,I,Riga',
    ].join('\n');
    const items = await all(
      readCsvRecipients(Readable.from([text.slice(0, 70), text.slice(70)]), { maxRowBytes: 1000 }),
    );
    expect(
      items.map((item) => ('rejected' in item ? `${item.email} ✗ ${item.rejected}` : item.email)),
    ).toEqual([
      'a@example.org',
      'b@example.org ✗ line 3: unclosed quote',
      'c@example.org ✗ line 4: expected 3 columns (email, name, city), got 2',
      'd@example.org ✗ line 5: expected 3 columns (email, name, city), got 4',
      ' ✗ line 6: the row is longer than 1000 bytes',
      ' ✗ line 7: the email column is empty',
      'g@example.org',
      expect.stringMatching(/^h@example.org ✗ line 10: broken CSV row: /),
      'i@example.org',
    ]);
    expect((items[6] as { name: string }).name).toBe('G, multi\nline');
  });

  it('refuses a file without an email column or without a header', async () => {
    await expect(all(readCsvRecipients(Readable.from(['name,city\nA,B\n'])))).rejects.toThrow(
      /no "email" column \(columns: name, city; delimiter ",", detected\)/,
    );
    await expect(all(readCsvRecipients(Readable.from(['\n\n'])))).rejects.toBeInstanceOf(BulkInputError);
    await expect(all(readCsvRecipients(Readable.from(['email,Email\n'])))).rejects.toThrow(/twice/);
  });
});

describe('readNdjsonRecipients', () => {
  it('reads objects and rejects bad lines with the line number', async () => {
    const lines = [
      JSON.stringify({ email: 'a@example.org', name: 'A', template_variables: { n: 1 } }),
      '{not json',
      '[1,2]',
      '',
      JSON.stringify({ email: 'b@example.org', first_name: 'B' }),
      JSON.stringify({ name: 'no email' }),
      JSON.stringify({ email: ' c@example.org ', custom_variables: { k: 'v' } }),
    ];
    const items = await all(readNdjsonRecipients(Readable.from([Buffer.from(lines.join('\n'))])));
    expect(items).toEqual([
      { email: 'a@example.org', name: 'A', template_variables: { n: 1 }, line: 1 },
      { email: '', rejected: expect.stringMatching(/^line 2: not valid JSON/), line: 2 },
      { email: '', rejected: 'line 3: expected a JSON object with an email', line: 3 },
      { email: 'b@example.org', template_variables: { first_name: 'B' }, line: 5 },
      { email: '', rejected: 'line 6: "email" is missing or not a string', line: 6 },
      { email: 'c@example.org', custom_variables: { k: 'v' }, line: 7 },
    ]);
  });

  it('gives packRecipients its recipients chunk by chunk, from where reading one by one stopped', async () => {
    const good = (index: number) => JSON.stringify({ email: `u${index}@example.org`, name: `U ${index}` });
    // three chunks: well-formed lines; a broken line and a blank one; two objects on one line
    const chunks = [
      `${[0, 1, 2].map(good).join('\n')}\n`,
      `${good(3)}\n{"email":"broken@example.org"\n\n${good(4)}\r\n`,
      `${good(5)}\n${good(6)},${good(7)}\n${good(8)}`,
    ];
    const source = () => readNdjsonRecipients(Readable.from(chunks.map((chunk) => Buffer.from(chunk))));
    const user = (index: number, line: number) => ({
      email: `u${index}@example.org`,
      name: `U ${index}`,
      line,
    });
    const expected = [
      user(0, 1),
      user(1, 2),
      user(2, 3),
      user(3, 4),
      { email: '', rejected: expect.stringMatching(/^line 5: not valid JSON/), line: 5 },
      user(4, 7),
      user(5, 8),
      { email: '', rejected: expect.stringMatching(/^line 9: not valid JSON/), line: 9 },
      user(8, 10),
    ];
    expect(await all(source())).toEqual(expected);
    const { items, blocks } = await byBlocks(source());
    expect(items).toEqual(expected);
    // one chunk per chunk read, and the last line (no line end) on its own at the end
    expect(blocks).toBe(4);
    // two taken one by one, then the chunks: each recipient once, in order
    const started = source();
    const firstTwo = [(await started.next()).value, (await started.next()).value];
    const rest = await byBlocks(started);
    expect([...firstTwo, ...rest.items]).toEqual(expected);
    expect(rest.items[0]).toEqual(user(2, 3));
    // the CLI reads the first recipient before sending (a broken header fails first): the chunks stay
    const cli = await primed(source());
    expect((await byBlocks(cli)).items).toEqual(expected);
  });

  it('closes the source when the reading stops early, whichever way it reads', async () => {
    /** Three chunks of two recipients; `closed` once the reader let go of it. */
    function source() {
      const state = { closed: false };
      const line = (n: number) => `${JSON.stringify({ email: `r${n}@example.org` })}\n`;
      const chunks = (async function* () {
        try {
          for (let chunk = 0; chunk < 3; chunk += 1) yield line(chunk * 2) + line(chunk * 2 + 1);
        } finally {
          state.closed = true;
        }
      })();
      return { state, reader: readNdjsonRecipients(chunks) };
    }
    // chunk by chunk, stopped at the first chunk
    const direct = source();
    for await (const _ of blocksOf(direct.reader)!) break;
    expect(direct.state.closed).toBe(true);
    // one taken first, then chunk by chunk: stopped at the rest of the first chunk, or at a later one
    for (const stopAt of [1, 2]) {
      const mixed = source();
      await mixed.reader.next();
      let seen = 0;
      for await (const _ of blocksOf(mixed.reader)!) if (++seen === stopAt) break;
      expect(mixed.state.closed).toBe(true);
    }
    // one by one, stopped
    const single = source();
    for await (const _ of single.reader) break;
    expect(single.state.closed).toBe(true);
    // a throw in the loop
    const thrown = source();
    await expect(
      (async () => {
        for await (const _ of blocksOf(thrown.reader)!) throw new Error('stop');
      })(),
    ).rejects.toThrow('stop');
    expect(thrown.state.closed).toBe(true);
  });

  it('does not buffer an over-long line', async () => {
    const huge = JSON.stringify({ email: 'x@example.org', template_variables: { blob: 'y'.repeat(5000) } });
    const items = await all(
      readNdjsonRecipients([huge, '\n', JSON.stringify({ email: 'z@example.org' })], { maxRowBytes: 1000 }),
    );
    expect(items).toEqual([
      { email: '', rejected: 'line 1: longer than 1000 bytes', line: 1 },
      { email: 'z@example.org', line: 2 },
    ]);
  });
});

describe('closing the source', () => {
  /** A source of the given chunks; `closed` once the reader let go of it. */
  function tracked(chunks: string[]) {
    const state = { closed: false };
    const source = (async function* () {
      try {
        yield* chunks;
      } finally {
        state.closed = true;
      }
    })();
    return { state, source };
  }

  it('readCsvRecipients closes it on a refused header, a break and a throw', async () => {
    const refused = tracked(['name,city\n', 'Ann,Rome\n']);
    await expect(all(readCsvRecipients(refused.source))).rejects.toThrow(/no "email" column/);
    expect(refused.state.closed).toBe(true);
    const stopped = tracked(['email\n', 'a@example.org\n', 'b@example.org\n']);
    for await (const _ of readCsvRecipients(stopped.source)) break;
    expect(stopped.state.closed).toBe(true);
    const thrown = tracked(['email\n', 'a@example.org\n']);
    await expect(
      (async () => {
        for await (const _ of readCsvRecipients(thrown.source)) throw new Error('stop');
      })(),
    ).rejects.toThrow('stop');
    expect(thrown.state.closed).toBe(true);
  });
});
