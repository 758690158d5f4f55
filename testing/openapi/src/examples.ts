import type { SpecOperation, SpecResponse } from './operations.js';
import { loadSpecs, pointer, resolveRef } from './specs.js';

/** Where an answer's body came from. */
export type ExampleSource =
  /** the media type's `example` */
  | 'example'
  /** the first of the media type's named `examples` */
  | 'examples'
  /** the `example` of the response schema (or of the component it references) */
  | 'schema'
  /** built from the `example`/`default`/`enum`/`const` of each property of the schema */
  | 'properties'
  /** the spec defines no body for this answer (e.g. 204) */
  | 'no-body';

export interface SpecExample {
  status: number;
  contentType?: string;
  body: unknown;
  source: ExampleSource;
}

/**
 * The spec's own answer for `status` (the success status when omitted): the vendor's example, or
 * one put together from the examples the vendor gives for each property. Undefined when the spec
 * has no such answer or gives no example to build it from: nothing is made up.
 */
export function exampleFor(operation: SpecOperation, status?: number | string): SpecExample | undefined {
  const response = status === undefined ? operation.success : findResponse(operation, status);
  if (!response) return undefined;
  const code = Number(response.status);
  if (!response.content) return { status: code, body: undefined, source: 'no-body' };
  const document = loadSpecs().find((spec) => spec.name === operation.spec)!.document;
  const media = pointer(document, response.content.pointer) as Record<string, any>;
  const { contentType } = response.content;
  if (media.example !== undefined)
    return { status: code, contentType, body: media.example, source: 'example' };
  const named = Object.values<any>(media.examples ?? {})[0];
  if (named !== undefined) {
    const value = resolveRef(document, named)?.value;
    if (value !== undefined) return { status: code, contentType, body: value, source: 'examples' };
  }
  if (!media.schema) return undefined;
  const schema = resolveRef(document, media.schema);
  if (schema?.example !== undefined)
    return { status: code, contentType, body: schema.example, source: 'schema' };
  const built = fromProperties(media.schema, document, 0);
  return built.ok ? { status: code, contentType, body: built.value, source: 'properties' } : undefined;
}

export function findResponse(operation: SpecOperation, status: number | string): SpecResponse | undefined {
  return operation.responses.find((response) => response.status === String(status));
}

type Built = { ok: true; value: unknown } | { ok: false };

/** A value from the examples the vendor wrote on the schema and its members; fails where one is missing. */
function fromProperties(raw: unknown, document: Record<string, any>, depth: number): Built {
  const schema = resolveRef(document, raw) as Record<string, any> | undefined;
  if (!schema || typeof schema !== 'object' || depth > 12) return { ok: false };
  if (schema.example !== undefined) return { ok: true, value: schema.example };
  if (Array.isArray(schema.examples) && schema.examples.length > 0)
    return { ok: true, value: schema.examples[0] };
  if (schema.const !== undefined) return { ok: true, value: schema.const };
  if (schema.default !== undefined) return { ok: true, value: schema.default };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { ok: true, value: schema.enum[0] };
  for (const keyword of ['oneOf', 'anyOf']) {
    for (const branch of schema[keyword] ?? []) {
      const built = fromProperties(branch, document, depth + 1);
      if (built.ok) return built;
    }
  }
  if (Array.isArray(schema.allOf)) {
    const value: Record<string, unknown> = {};
    for (const part of schema.allOf) {
      const built = fromProperties(part, document, depth + 1);
      if (!built.ok || typeof built.value !== 'object' || built.value === null) return { ok: false };
      Object.assign(value, built.value);
    }
    return { ok: true, value };
  }
  const type = [schema.type].flat()[0];
  if (type === 'object' || schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const value: Record<string, unknown> = {};
    for (const [name, member] of Object.entries<any>(schema.properties ?? {})) {
      const built = fromProperties(member, document, depth + 1);
      if (built.ok) value[name] = built.value;
      else if (required.has(name)) return { ok: false };
    }
    const declared = Object.keys(schema.properties ?? {}).length;
    return Object.keys(value).length > 0 || declared === 0 ? { ok: true, value } : { ok: false };
  }
  if (type === 'array') {
    const item = fromProperties(schema.items, document, depth + 1);
    return item.ok ? { ok: true, value: [item.value] } : { ok: false };
  }
  return { ok: false };
}
