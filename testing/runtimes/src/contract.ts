/**
 * What the Node side (the vitest runner, which owns the emulator) hands to the scenarios running
 * in another runtime, and what they answer. Plain JSON both ways: it crosses a process boundary
 * (Bun, Deno, Node) or a `fetch` into workerd.
 */

/** The scenarios, in the order they run; every runtime runs all of them. */
export const scenarioNames = [
  'send',
  'batch',
  'template send',
  'attachment from bytes',
  '429 retried',
  '401 typed',
  'webhook signature verified',
] as const;

/** The bytes of the attachment scenario: every byte value once, so any re-encoding shows. */
export const attachmentBytes = (): Uint8Array => Uint8Array.from({ length: 256 }, (_, index) => index);

export type ScenarioName = (typeof scenarioNames)[number];

export interface ScenarioContext {
  /** The runtime's name, put in every message's category so the runner finds its messages. */
  runtime: string;
  /** The emulator's `endpoints` (core's option as is). */
  endpoints: { send: string; bulk: string; sandbox: string; general: string };
  token: string;
  /** A template the emulator has: subject `Hello {{name}}`. */
  templateUuid: string;
  /** The emulator answers this recipient's first send with a 429 (fault injected by the runner). */
  rateLimitedRecipient: string;
  /** The client's `transport` option; unset, each runtime's default. */
  transport?: 'undici' | 'fetch';
  /** A webhook request the emulator really delivered: the raw body, its header and the secret. */
  webhook: { body: string; signature: string; secret: string };
}

/** What a scenario saw: JSON values the runner checks against the emulator's records. */
export type Observation = Record<string, unknown>;

export type ScenarioOutcome =
  | { name: ScenarioName; ok: true; observed: Observation }
  | { name: ScenarioName; ok: false; error: { name: string; message: string; stack?: string } };

export interface ScenarioReport {
  runtime: string;
  /** `navigator.userAgent` where there is one, else the runtime's version string. */
  userAgent: string;
  outcomes: ScenarioOutcome[];
}
