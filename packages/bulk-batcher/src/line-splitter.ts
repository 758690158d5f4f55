/** Receives the lines a {@link LineSplitter} completes, in order. */
export interface LineSink {
  /**
   * One line: its text (CR and a leading BOM dropped; '' when `tooLong`), its number (from 1) and
   * whether it was longer than the limit (its text was not kept).
   */
  line(text: string, number: number, tooLong: boolean): void;
}

/**
 * Splits the chunks of a file (bytes, UTF-8, or text) into lines (LF or CRLF) as they are fed, handing
 * each completed line to a sink synchronously. It holds no more than the start of the line a chunk
 * ended in; a line longer than the limit is reported, not kept. The NDJSON reader feeds it from the
 * loop that reads the source: no generator or object per line, and no generator between reading and
 * parsing (with lines handed through a chain of generators, a campaign's old generation grew by
 * about 160 kB a second of objects already dead, which one loop does not do).
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  /** The start of the line the last chunk ended in ('' when it ended with a newline). */
  private carry = '';
  /** The line being read is over the limit: its text is dropped up to its newline. */
  private tooLong = false;
  private number = 0;
  private first = true;

  /** `maxLength`: a line longer than this (in UTF-16 code units, CR included) is reported as too long. */
  constructor(private readonly maxLength: number) {}

  /** Splits one chunk; completed lines go to `sink`, the rest waits for the next chunk. */
  feed(chunk: Uint8Array | string, sink: LineSink): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', start)) {
      this.complete(text, start, index, sink);
      start = index + 1;
    }
    this.keep(text, start);
  }

  /** The end of the input: the last line when it has no newline. */
  end(sink: LineSink): void {
    this.keep(this.decoder.decode(), 0);
    if (this.carry !== '' || this.tooLong) this.complete('', 0, 0, sink);
  }

  private complete(text: string, start: number, end: number, sink: LineSink): void {
    this.number += 1;
    const tooLong = this.tooLong || this.carry.length + (end - start) > this.maxLength;
    let line = '';
    if (!tooLong) {
      line = this.carry === '' ? text.slice(start, end) : this.carry + text.slice(start, end);
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (this.first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    this.first = false;
    this.carry = '';
    this.tooLong = false;
    sink.line(line, this.number, tooLong);
  }

  private keep(text: string, start: number): void {
    if (this.tooLong || start === text.length) return;
    if (this.carry.length + (text.length - start) > this.maxLength) {
      this.tooLong = true;
      this.carry = '';
    } else this.carry += start === 0 ? text : text.slice(start);
  }
}
