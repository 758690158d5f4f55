import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { beforeAll, expect, it } from 'vitest';
import { bundleForWorkerd, type WorkerBundle } from './bundle.ts';
import type { ScenarioReport } from './contract.ts';
import { runtimesDirectory } from './runtimes.ts';
import { describeRuntime } from './suite.ts';
import { workerdOptions } from './workerd.ts';

let bundle: WorkerBundle;
let worker: Miniflare | undefined;

beforeAll(async () => {
  bundle = await bundleForWorkerd(join(runtimesDirectory, 'src', 'worker-entry.ts'));
});

describeRuntime(
  'workerd',
  async (context) => {
    const response = await worker!.dispatchFetch('http://scenarios.local/', {
      method: 'POST',
      body: JSON.stringify(context),
    });
    if (response.status !== 200)
      throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as ScenarioReport;
  },
  {
    transport: 'fetch',
    clientRuntime: /^workerd$/,
    userAgent: /^Cloudflare-Workers$/,
    async setup() {
      worker = new Miniflare(workerdOptions(bundle.code));
      await worker.ready;
    },
    async teardown() {
      await worker?.dispose();
    },
  },
);

it("the Worker bundle holds core's Workers build: no undici, no Node built-in", () => {
  const core = bundle.inputs.filter((input) => input.includes('packages/core/dist/'));
  expect(core.length).toBeGreaterThan(0);
  expect(bundle.inputs.filter((input) => /undici|^node:/.test(input))).toEqual([]);
});
