import { describe, expect, it } from 'vitest';
import { exampleFor } from '../examples.js';
import { findOperation, type SpecOperation } from '../operations.js';
import { validateResponse } from '../responses.js';
import { checkedErrorStatuses, expectFailure, expectTypedError } from './errors.js';
import { methodNames } from './helpers.js';
import type {
  AccountApiAreaCases,
  AccountApiCase,
  AccountApiNamespace,
  AccountApiTarget,
  AreaState,
} from './types.js';

export interface AreaRun {
  target: () => AccountApiTarget;
  /** The state the areas of one run share. */
  state: () => AreaState;
  errors: 'planned' | 'unknown-ids';
  unsupported: Readonly<Record<string, number>>;
  prepare?: (target: AccountApiTarget, state: AreaState) => AreaState | Promise<AreaState>;
}

/** The vitest block of one area: every case's call, then (on the spec server) every error answer. */
export function describeArea({ area, cases }: AccountApiAreaCases, run: AreaRun): void {
  describe(`client.${area}`, () => {
    const namespace = (): AccountApiNamespace => {
      const value = (run.target().client as Record<string, unknown>)[area];
      if (!value || typeof value !== 'object') throw new Error(`the client has no \`${area}\` namespace`);
      return value as AccountApiNamespace;
    };

    it('has exactly the methods the suite calls', async () => {
      Object.assign(run.state(), await run.prepare?.(run.target(), run.state()));
      const covered = [...new Set(cases.map((one) => one.method.split('.')[1]!))].sort();
      expect(methodNames(namespace())).toEqual(covered);
    });

    for (const one of cases) {
      const operation = findOperation(one.operation);
      const unsupported = run.unsupported[one.method];
      if (unsupported !== undefined) {
        it(`${one.method} → ${operation.operationId} is not served by this target (${unsupported})`, async () => {
          await expectFailure(() => one.run(namespace(), run.state()), unsupported);
        });
        continue;
      }
      it(`${one.method} → ${operation.operationId}`, async () => {
        await checkCall(one, operation, namespace(), run.state(), run.target());
      });
    }

    for (const one of cases) {
      const operation = findOperation(one.operation);
      if (run.unsupported[one.method] !== undefined) continue;
      if (run.errors === 'unknown-ids') {
        const missing = one.missing;
        if (!missing) continue;
        it(`${one.method} of an unknown id is core's not-found error`, async () => {
          await expectTypedError(() => missing(namespace(), run.state()), 404);
        });
        continue;
      }
      for (const status of errorStatuses(operation)) {
        it(`${one.method}: the spec's ${status} answer is core's typed error`, async () => {
          const server = run.target().specServer;
          if (!server) throw new Error("errors: 'planned' needs the target's specServer");
          await one.setup?.(
            namespace(),
            run.state(),
            run.target().client as Record<string, AccountApiNamespace>,
          );
          server.answerNext(operation.key, status);
          try {
            await expectTypedError(() => one.run(namespace(), run.state()), status);
            expect(server.pendingAnswers(), 'the call did not reach the server').toEqual([]);
          } finally {
            server.clearAnswers();
          }
        });
      }
    }
  });
}

async function checkCall(
  one: AccountApiCase,
  operation: SpecOperation,
  api: AccountApiNamespace,
  state: AreaState,
  target: AccountApiTarget,
) {
  const server = target.specServer;
  await one.setup?.(api, state, target.client as Record<string, AccountApiNamespace>);
  const before = server?.calls.length ?? 0;
  const result = await one.run(api, state);
  let status = Number(operation.success.status);
  if (server) {
    const calls = server.calls.slice(before);
    expect(calls.length, `${one.method} made no request`).toBeGreaterThan(0);
    expect(calls.map((call) => call.key)).toEqual(calls.map(() => operation.key));
    expect(calls.flatMap((call) => call.problems)).toEqual([]);
    if (operation.host === 'general' && !/^\/api\/(accounts|organizations)(\/|$)/.test(operation.path)) {
      const expected = target.accountId === undefined ? undefined : String(target.accountId);
      expect(calls.map((call) => call.accountId)).toEqual(calls.map(() => expected));
    }
    status = calls[calls.length - 1]!.status;
    expect(status).toBe(Number(operation.success.status));
  }
  const body = one.wire ? one.wire(result) : result;
  expect(validateResponse(operation.key, status, body)).toEqual([]);
  if (server && !one.wire && operation.success.content) {
    // the result is the answer as the spec gives it, not a reshaped or emptied copy
    const example = exampleFor(operation)?.body;
    expect(result instanceof Uint8Array ? new TextDecoder().decode(result) : result).toEqual(example);
  }
  one.keep?.(result, state);
}

/** The error answers of an operation the suite checks: those the spec lists, with a body to send. */
function errorStatuses(operation: SpecOperation): number[] {
  return checkedErrorStatuses.filter((status) =>
    operation.responses.some((response) => response.status === String(status)),
  );
}
