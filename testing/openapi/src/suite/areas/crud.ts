import { idOf, unknownId } from '../helpers.js';
import type { AccountApiArea, AccountApiCase, AreaState } from '../types.js';

export interface CrudCasesOptions {
  area: AccountApiArea;
  /** The state key the created id is kept under (`contactListId`). */
  idKey: string;
  /** The spec operation of each method. */
  operations: { create: string; list: string; get: string; update: string; delete: string };
  /** The input of `create` (a fresh one per call: names stay unique). */
  create: (state: AreaState) => unknown;
  /** The input of `update`. */
  update: (state: AreaState) => unknown;
}

/**
 * The five cases of a plain CRUD namespace (`create`, `list`, `get`, `update`, `delete` by id):
 * the created id is kept for the later cases and areas; `delete` removes a second thing created
 * for it, so the first stays for what comes after.
 */
export function crudCases(options: CrudCasesOptions): AccountApiCase[] {
  const { area, idKey, operations } = options;
  const disposable = `disposable${idKey[0]!.toUpperCase()}${idKey.slice(1)}`;
  return [
    {
      method: `${area}.create`,
      operation: operations.create,
      run: (api, state) => api.create(options.create(state)),
      keep: (result, state) => {
        state[idKey] = idOf(result);
      },
    },
    { method: `${area}.list`, operation: operations.list, run: (api) => api.list() },
    {
      method: `${area}.get`,
      operation: operations.get,
      run: (api, state) => api.get(state[idKey]),
      missing: (api) => api.get(unknownId),
    },
    {
      method: `${area}.update`,
      operation: operations.update,
      run: (api, state) => api.update(state[idKey], options.update(state)),
      missing: (api, state) => api.update(unknownId, options.update(state)),
    },
    {
      method: `${area}.delete`,
      operation: operations.delete,
      setup: async (api, state) => {
        state[disposable] = idOf(await api.create(options.create(state)));
      },
      run: (api, state) => api.delete(state[disposable]),
      missing: (api) => api.delete(unknownId),
    },
  ];
}
