import { InvalidArgumentError } from 'commander';

/** A request rate: at most `requests` per `windowMs`. */
export interface Rate {
  requests: number;
  windowMs: number;
}

const units = { ms: 1, s: 1000, m: 60_000 } as const;

/**
 * The one rate grammar of the kit: `<requests>/<window>` with the window in `ms`, `s` (the default
 * unit) or `m` — `150/10s`, `10/1s`, `600/1m`, `5/s` — or `off`.
 */
export function parseRate(value: string): Rate | false {
  const text = value.trim();
  if (text === 'off' || text === 'none') return false;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m)?$/.exec(text);
  const requests = Number(match?.[1]);
  const amount = match?.[2] === undefined ? 1 : Number(match[2]);
  const windowMs = Math.round(amount * units[(match?.[3] ?? 's') as keyof typeof units]);
  if (!match || requests < 1 || windowMs <= 0) {
    throw new InvalidArgumentError(
      `expected <requests>/<window> like 150/10s (window in ms, s or m) or off, got ${JSON.stringify(value)}`,
    );
  }
  return { requests, windowMs };
}

/** `150/10s` for `{ requests: 150, windowMs: 10000 }`; `off` for false. */
export function formatRate(rate: Rate | false): string {
  if (!rate) return 'off';
  if (rate.windowMs % 60_000 === 0 && rate.windowMs >= 60_000)
    return `${rate.requests}/${rate.windowMs / 60_000}m`;
  if (rate.windowMs % 1000 === 0) return `${rate.requests}/${rate.windowMs / 1000}s`;
  return `${rate.requests}/${rate.windowMs}ms`;
}
