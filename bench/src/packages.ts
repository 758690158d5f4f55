import { SubjectUnavailableError } from './processes.js';

/**
 * Imports a workspace package from its build (node_modules -> dist) and checks the exports a
 * case needs, so a package that is not built or not finished is reported, not crashed on.
 */
export async function importPackage<T = any>(name: string, exportsNeeded: string[]): Promise<T> {
  let module: Record<string, unknown>;
  try {
    module = (await import(name)) as Record<string, unknown>;
  } catch (error) {
    throw new SubjectUnavailableError(`${name} could not be loaded (is it built?): ${String(error)}`);
  }
  const missing = exportsNeeded.filter((key) => module[key] === undefined);
  if (missing.length > 0) {
    throw new SubjectUnavailableError(`${name} does not export ${missing.join(', ')} yet`);
  }
  return module as T;
}
