import { resolveRef } from './specs.js';

/**
 * Path and query values arrive as strings (`qs` turns `a[b][]=1` into nested objects and arrays);
 * this turns them into the types their schema asks for (`"3938"` → 3938 for an integer, a single
 * value into a one-item array), following `$ref`, `oneOf`, `anyOf` and `allOf`. A string that does
 * not look like the wanted type is left alone, so the schema check reports it.
 */
export function coerceToSchema(value: unknown, schema: unknown, document: Record<string, any>): unknown {
  const resolved = resolveRef(document, schema) as Record<string, any> | undefined;
  if (!resolved || typeof resolved !== 'object') return value;
  if (Array.isArray(value)) {
    const items = itemsSchema(resolved, document);
    return items ? value.map((item) => coerceToSchema(item, items, document)) : value;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const memberSchema = propertySchema(resolved, key, document);
      out[key] = memberSchema ? coerceToSchema(member, memberSchema, document) : member;
    }
    return out;
  }
  if (typeof value !== 'string') return value;
  const types = schemaTypes(resolved, document);
  if (types.size === 0 || types.has('string')) return value;
  if ((types.has('integer') && /^-?\d+$/.test(value)) || (types.has('number') && isNumeric(value))) {
    return Number(value);
  }
  if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.has('array')) {
    const items = itemsSchema(resolved, document);
    return [items ? coerceToSchema(value, items, document) : value];
  }
  return value;
}

const isNumeric = (value: string) => value.trim() !== '' && Number.isFinite(Number(value));

function branches(schema: Record<string, any>, document: Record<string, any>): Record<string, any>[] {
  const list = [schema];
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    for (const branch of schema[keyword] ?? []) {
      const resolved = resolveRef(document, branch);
      if (resolved && typeof resolved === 'object') list.push(...branches(resolved, document));
    }
  }
  return list;
}

function schemaTypes(schema: Record<string, any>, document: Record<string, any>): Set<string> {
  const types = new Set<string>();
  for (const branch of branches(schema, document)) {
    for (const type of [branch.type].flat()) if (typeof type === 'string') types.add(type);
  }
  return types;
}

function itemsSchema(schema: Record<string, any>, document: Record<string, any>): unknown {
  return branches(schema, document).find((branch) => branch.items)?.items;
}

function propertySchema(schema: Record<string, any>, key: string, document: Record<string, any>): unknown {
  const all = branches(schema, document);
  return (
    all.find((branch) => branch.properties?.[key])?.properties[key] ??
    all.find((branch) => branch.additionalProperties && typeof branch.additionalProperties === 'object')
      ?.additionalProperties
  );
}
