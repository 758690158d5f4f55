import type { BenchCase, SubjectRunner } from './framework.js';

interface CaseModule {
  subjects: Record<string, SubjectRunner>;
  [key: string]: unknown;
}

/** Every case, in the order it runs, loaded lazily so one unfinished package breaks nothing else. */
export const caseLoaders: Record<string, () => Promise<CaseModule>> = {
  'single-send': () => import('./cases/single-send.js') as Promise<CaseModule>,
  nodemailer: () => import('./cases/nodemailer.js') as Promise<CaseModule>,
  'rate-limit': () => import('./cases/rate-limit.js') as Promise<CaseModule>,
  bulk: () => import('./cases/bulk.js') as Promise<CaseModule>,
  'bulk-bullmq': () => import('./cases/bulk-bullmq.js') as Promise<CaseModule>,
  attachment: () => import('./cases/attachment.js') as Promise<CaseModule>,
  'emulator-ingest': () => import('./cases/emulator-ingest.js') as Promise<CaseModule>,
};

export const caseIds = Object.keys(caseLoaders);

export async function loadCase(id: string): Promise<BenchCase> {
  const loader = caseLoaders[id];
  if (!loader) throw new Error(`unknown case '${id}' (cases: ${caseIds.join(', ')})`);
  const module = await loader();
  const definition = Object.values(module).find(
    (value): value is BenchCase =>
      typeof value === 'object' && value !== null && 'run' in value && (value as BenchCase).id === id,
  );
  if (!definition) throw new Error(`case module '${id}' exports no case definition`);
  return definition;
}

export async function loadSubject(caseId: string, name: string): Promise<SubjectRunner> {
  const loader = caseLoaders[caseId];
  if (!loader) throw new Error(`unknown case '${caseId}'`);
  const runner = (await loader()).subjects[name];
  if (!runner) throw new Error(`case '${caseId}' has no subject '${name}'`);
  return runner;
}
