import type { SpecHost } from './specs.js';

/** One request as the spec server saw it. The token itself is never kept. */
export interface SpecCall {
  /** `spec:operationId`, or undefined when no operation of the specs matches. */
  key?: string;
  operationId?: string;
  spec?: string;
  host?: SpecHost;
  method: string;
  /** The URL path and query as received (with the host prefix). */
  url: string;
  /** Path parameters, typed by their schema. */
  params: Record<string, unknown>;
  /** Query parameters by spec name, typed by their schema. */
  query: Record<string, unknown>;
  /** The parsed JSON body, or the raw text. */
  body: unknown;
  /** `bearer` or `api-token`: how the request authenticated (never the token). */
  auth?: 'bearer' | 'api-token';
  /** The account id of the `/api/accounts/{account_id}/...` path form. */
  accountId?: string;
  /** Why the request does not match the spec; empty when it does. */
  problems: string[];
  /** The status the server answered. */
  status: number;
}

/** The calls of one server, in arrival order, with the look-ups tests need. */
export class CallRecorder {
  readonly calls: SpecCall[] = [];

  add(call: SpecCall): void {
    this.calls.push(call);
  }

  /** The calls of one operation (`operationId` or `spec:operationId`). */
  of(ref: string): SpecCall[] {
    return this.calls.filter((call) => call.key === ref || call.operationId === ref);
  }

  /** The most recent call (of one operation, when given). */
  last(ref?: string): SpecCall | undefined {
    const list = ref ? this.of(ref) : this.calls;
    return list[list.length - 1];
  }

  /** Every problem of every call, prefixed with the call it belongs to. */
  problems(): string[] {
    return this.calls.flatMap((call) =>
      call.problems.map(
        (problem) => `${call.method} ${call.url} (${call.key ?? 'no operation'}): ${problem}`,
      ),
    );
  }

  clear(): void {
    this.calls.length = 0;
  }
}
