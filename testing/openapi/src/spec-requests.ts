import { type SpecOperation, specOperations } from './operations.js';
import { hostPrefixes } from './router.js';
import { loadSpecs, pointer, resolveRef } from './specs.js';

/** A request to one operation put together from the spec's own examples. */
export interface ExampleRequest {
  operation: SpecOperation;
  method: string;
  /** Path and query, with the host prefix of the spec server. */
  url: string;
  /** The JSON body text, when the operation takes one. */
  body?: string;
}

/**
 * The request the vendor's examples describe for an operation: path parameters and required query
 * parameters from their `example`, the body from the request body's example. Returns the missing
 * pieces instead when the spec has no example for one of them.
 */
export function exampleRequest(operation: SpecOperation): ExampleRequest | { missing: string[] } {
  const document = loadSpecs().find((spec) => spec.name === operation.spec)!.document;
  const missing: string[] = [];
  let path = operation.path;
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'path' && !(parameter.in === 'query' && parameter.required)) continue;
    const raw = pointer(document, parameter.schemaPointer.replace(/\/schema$/, ''));
    const value = resolveRef(document, raw)?.example ?? resolveRef(document, parameter.schema)?.example;
    if (value === undefined) {
      missing.push(`${parameter.in} parameter ${parameter.name}`);
      continue;
    }
    if (parameter.in === 'path')
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
    else for (const item of [value].flat()) query.append(parameter.name, String(item));
  }
  let body: string | undefined;
  if (operation.requestBody) {
    const media = pointer(document, operation.requestBody.pointer) as Record<string, any>;
    const named = Object.values<any>(media.examples ?? {})[0];
    const value =
      media.example ??
      (named ? resolveRef(document, named)?.value : undefined) ??
      resolveRef(document, media.schema)?.example;
    if (value === undefined) missing.push('request body');
    else body = JSON.stringify(value);
  }
  if (missing.length > 0) return { missing };
  const search = query.toString();
  return {
    operation,
    method: operation.method.toUpperCase(),
    url: `${hostPrefixes[operation.host]}${path}${search ? `?${search}` : ''}`,
    ...(body !== undefined ? { body } : {}),
  };
}

/** The example request of every operation that has one, and what the others lack. */
export function exampleRequests(): { requests: ExampleRequest[]; missing: Record<string, string[]> } {
  const requests: ExampleRequest[] = [];
  const missing: Record<string, string[]> = {};
  for (const operation of specOperations()) {
    const built = exampleRequest(operation);
    if ('missing' in built) missing[operation.key] = built.missing;
    else requests.push(built);
  }
  return { requests, missing };
}
