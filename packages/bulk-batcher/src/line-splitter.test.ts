import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';

type Line = [text: string, number: number, tooLong: boolean];

function split(chunks: Array<Uint8Array | string>, maxLength = 1_000): Line[] {
  const lines: Line[] = [];
  const splitter = new LineSplitter(maxLength);
  const sink = {
    line: (text: string, number: number, tooLong: boolean) => lines.push([text, number, tooLong]),
  };
  for (const chunk of chunks) splitter.feed(chunk, sink);
  splitter.end(sink);
  return lines;
}

/** Every way of cutting `text` in two, as bytes. */
function cutsOf(text: string): Uint8Array[][] {
  const bytes = new TextEncoder().encode(text);
  const cuts: Uint8Array[][] = [];
  for (let at = 0; at <= bytes.length; at += 1) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return cuts;
}

describe('LineSplitter', () => {
  it('gives the same lines wherever the chunks are cut: CRLF, a BOM, multi-byte characters, no final newline', () => {
    const text = '\ufeff{"email":"zoë@example.org"}\r\n\r\n{"name":"日本"}\nlast';
    const expected: Line[] = [
      ['{"email":"zoë@example.org"}', 1, false],
      ['', 2, false],
      ['{"name":"日本"}', 3, false],
      ['last', 4, false],
    ];
    expect(split([text])).toEqual(expected);
    for (const cut of cutsOf(text)) expect(split(cut)).toEqual(expected);
  });

  it('reports a line over the limit without its text, counted in lines before and after', () => {
    const long = 'x'.repeat(25);
    const text = `short\n${long}\nafter\n`;
    const expected: Line[] = [
      ['short', 1, false],
      ['', 2, true],
      ['after', 3, false],
    ];
    expect(split([text], 20)).toEqual(expected);
    // the long line spread over chunks (the limit reached inside the carried start of the line)
    expect(split(['short\nxxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx\nafter\n'], 20)).toEqual(expected);
    for (const cut of cutsOf(text)) expect(split(cut, 20)).toEqual(expected);
  });

  it('drops a BOM on the first line only, and counts a CR in the limit', () => {
    expect(split(['\ufeffa\n\ufeffb\n'])).toEqual([
      ['a', 1, false],
      ['\ufeffb', 2, false],
    ]);
    expect(split([`${'a'.repeat(20)}\r\n`, `${'b'.repeat(19)}\r\n`], 20)).toEqual([
      ['', 1, true],
      ['b'.repeat(19), 2, false],
    ]);
  });

  it('takes text and bytes in the same input', () => {
    const bytes = new TextEncoder().encode('é\nsecond');
    expect(split(['first ', bytes.subarray(0, 1), bytes.subarray(1), ' line\n'])).toEqual([
      ['first é', 1, false],
      ['second line', 2, false],
    ]);
  });

  it('takes a line of exactly the limit, and a last line over it', () => {
    expect(split(['a'.repeat(20), '\n'], 20)).toEqual([['a'.repeat(20), 1, false]]);
    expect(split(['ok\n', 'b'.repeat(15), 'b'.repeat(15)], 20)).toEqual([
      ['ok', 1, false],
      ['', 2, true],
    ]);
  });

  it('gives no line for empty input, and one empty line for a lone newline', () => {
    expect(split([])).toEqual([]);
    expect(split(['', new Uint8Array()])).toEqual([]);
    expect(split(['\n'])).toEqual([['', 1, false]]);
  });
});
