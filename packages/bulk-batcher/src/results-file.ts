import { closeSync, openSync, writeSync } from 'node:fs';
import { BulkInputError } from './errors';
import type { RecipientResult } from './progress';

/** The NDJSON results file: one `{email, status, message_id?, error?}` line per recipient, buffered. */
export class ResultsFile {
  private readonly descriptor: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(readonly path: string) {
    try {
      this.descriptor = openSync(path, 'w');
    } catch (error) {
      throw new BulkInputError(
        `cannot write the results file ${path}: ${(error as Error).message}`,
        'results',
        {
          cause: error,
        },
      );
    }
  }
  add(result: RecipientResult): void {
    const line: Record<string, string> = { email: result.email, status: result.status };
    if (result.message_id !== undefined) line.message_id = result.message_id;
    if (result.error !== undefined) line.error = result.error;
    const text = `${JSON.stringify(line)}\n`;
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 65_536) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.descriptor, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.descriptor);
  }
}
