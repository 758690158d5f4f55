import qs from 'qs';
import type { SpecParameter } from './operations.js';

export interface QueryReading {
  /** Each spec query parameter that was present, by its spec name (still strings, nested by `qs`). */
  values: Record<string, unknown>;
  problems: string[];
}

/**
 * Reads a query string the way the specs describe it: `name` (repeated for arrays, or `name[]`),
 * `name[]` (names the vendor writes with the brackets, e.g. `domain_ids[]`) and deepObject parameters
 * (`filters[to][operator]=ci_equal&filters[to][value][]=a`). A key no parameter of the operation
 * names is a problem: the API ignores unknown parameters, so a misspelt filter would go unnoticed.
 */
export function readQuery(search: string, parameters: readonly SpecParameter[]): QueryReading {
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const raw = new URLSearchParams(search);
  const parsed = qs.parse(search.replace(/^\?/, ''), { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 });
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const claimed = new Set<string>();

  for (const parameter of queryParameters) {
    const { name } = parameter;
    const keys = [...new Set(raw.keys())].filter((key) => belongsTo(key, parameter));
    for (const key of keys) claimed.add(key);
    if (keys.length === 0) {
      if (parameter.required) problems.push(`query: required parameter ${name} is missing`);
      continue;
    }
    if (name.endsWith('[]')) {
      values[name] = raw.getAll(name);
    } else if (parameter.style === 'deepObject') {
      values[name] = parsed[name];
    } else {
      const all = keys.flatMap((key) => raw.getAll(key));
      values[name] = all.length === 1 && !keys.includes(`${name}[]`) ? all[0] : all;
    }
  }
  for (const key of new Set(raw.keys())) {
    if (claimed.has(key)) continue;
    const names = queryParameters.map((parameter) => parameter.name);
    problems.push(
      `query: unknown parameter ${key}${names.length ? ` (the spec has ${names.join(', ')})` : ' (the spec has none)'}`,
    );
  }
  return { values, problems };
}

/**
 * An array parameter the spec names without brackets (`project_ids`, style form) is also taken as
 * `project_ids[]=1&project_ids[]=2`: the form the official SDKs send and Rails reads as an array
 * (a repeated `project_ids=` would be read as its last value only).
 */
function belongsTo(key: string, parameter: SpecParameter): boolean {
  if (parameter.style === 'deepObject') return key.startsWith(`${parameter.name}[`);
  if (key === parameter.name) return true;
  return key === `${parameter.name}[]` && !parameter.name.endsWith('[]') && parameter.schema.type === 'array';
}
