// The entry workerd runs (bundled from core's `workerd`/`worker` build): POST the scenario
// context as JSON, get the report as JSON.
import type { ScenarioContext } from './contract.ts';
import { runScenarios } from './scenarios.ts';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST a scenario context', { status: 405 });
    const context = (await request.json()) as ScenarioContext;
    return Response.json(await runScenarios(context));
  },
};
