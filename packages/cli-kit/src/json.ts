import type { CliIo } from './io';

/** Writes one JSON document (pretty-printed, for `--json`). */
export function writeJson(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes one JSON value on one line (NDJSON, for `--json --follow` streams). */
export function writeJsonLine(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}
