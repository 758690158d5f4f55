import { afterAll, beforeAll, describe } from 'vitest';
import { areaCases } from './areas/index.js';
import { type AreaRun, describeArea } from './run-area.js';
import {
  type AccountApiArea,
  type AccountApiSuiteOptions,
  type AccountApiTarget,
  type AreaState,
  accountApiAreas,
} from './types.js';

/**
 * The ids the suite passes on the spec server, where any id is answered with the spec's example:
 * the account and organization of the examples, and 1 for what no earlier case creates.
 */
export const specServerFixtures: AreaState = {
  accountId: 1,
  organizationId: 1,
  domainId: 1,
  projectId: 1,
  sandboxId: 1,
  sandboxMessageId: 1,
  inboundFolderId: 1,
  inboundInboxId: 1,
};

/**
 * The account-API conformance suite every target of core's resource methods runs: for each
 * selected area, every method of `client.<area>` is called in a create → read → update → delete
 * order and checked — the request the spec server received matched the vendor spec, the typed
 * result matches the spec's response schema (`validateResponse`), and error answers come back as
 * core's typed errors. Run it in a test file:
 *
 * ```ts
 * describeAccountApi({ name: 'spec server', setup: async () => { ... return { client, specServer } } });
 * ```
 */
export function describeAccountApi<Client extends object>(options: AccountApiSuiteOptions<Client>): void {
  for (const method of Object.keys(options.unsupported ?? {})) {
    const area = method.split('.')[0] as AccountApiArea;
    if (!areaCases[area]?.cases.some((one) => one.method === method)) {
      throw new Error(`unsupported: the suite has no case ${JSON.stringify(method)}`);
    }
  }
  for (const area of options.areas ?? []) {
    if (!accountApiAreas.includes(area)) throw new Error(`unknown account-API area ${JSON.stringify(area)}`);
  }
  const areas = accountApiAreas.filter((area) => !options.areas || options.areas.includes(area));
  describe(`account API conformance: ${options.name}`, () => {
    let target: AccountApiTarget<Client> | undefined;
    const state: AreaState = {};
    beforeAll(async () => {
      target = await options.setup();
      Object.assign(state, target.specServer ? specServerFixtures : {}, target.fixtures);
    });
    afterAll(async () => {
      await target?.close?.();
    });
    const current = () => {
      if (!target) throw new Error('the suite setup did not finish');
      return target;
    };
    for (const area of areas) {
      describeArea(areaCases[area], {
        target: current,
        state: () => state,
        errors: options.errors ?? 'planned',
        unsupported: options.unsupported ?? {},
        ...(options.prepare?.[area] ? { prepare: options.prepare[area] as AreaRun['prepare'] } : {}),
      });
    }
  });
}
