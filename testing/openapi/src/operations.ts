import { escapePointer, type LoadedSpec, loadSpecs, resolveRef, type SpecHost } from './specs.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
const methods: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  style?: string;
  explode?: boolean;
  schema: Record<string, any>;
  /** JSON Pointer of the parameter's schema in its document (for the validator). */
  schemaPointer: string;
}

export interface SpecMediaType {
  contentType: string;
  /** JSON Pointer of the media type object (`.../content/application~1json`) in its document. */
  pointer: string;
  schema?: Record<string, any>;
}

export interface SpecResponse {
  /** `200`, `404`, … (`default` is kept as written). */
  status: string;
  description?: string;
  /** The first content type the spec lists; none for bodiless answers such as 204. */
  content?: SpecMediaType;
}

export interface SpecOperation {
  /** The spec file it comes from, without `.openapi.yml` (`email-sending`, `sandbox`, …). */
  spec: string;
  host: SpecHost;
  operationId: string;
  /** `spec:operationId`: unique across the nine specs (`sendEmail` exists on three hosts). */
  key: string;
  method: HttpMethod;
  /** The path template as the spec writes it: `/api/domains/{domain_id}`. */
  path: string;
  summary?: string;
  tags: string[];
  parameters: SpecParameter[];
  requestBody?: SpecMediaType & { required: boolean };
  responses: SpecResponse[];
  /** The first 2xx answer. */
  success: SpecResponse;
}

let cache: SpecOperation[] | undefined;

/** Every operation of the nine vendor specs, in spec then path order. */
export function specOperations(): readonly SpecOperation[] {
  if (cache) return cache;
  cache = loadSpecs().flatMap((spec) => operationsOf(spec));
  return cache;
}

/**
 * One operation by `operationId` (when it is unique across the specs) or by `spec:operationId`.
 * Throws naming the candidates when the reference is unknown or ambiguous.
 */
export function findOperation(ref: string): SpecOperation {
  const all = specOperations();
  const byKey = all.find((operation) => operation.key === ref);
  if (byKey) return byKey;
  const matches = all.filter((operation) => operation.operationId === ref);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new Error(
      `operationId ${ref} is in several specs; use one of ${matches.map((m) => m.key).join(', ')}`,
    );
  }
  throw new Error(`no operation ${ref} in the Mailtrap specs`);
}

function operationsOf(spec: LoadedSpec): SpecOperation[] {
  const { document } = spec;
  const result: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries<any>(document.paths ?? {})) {
    const item = resolveRef(document, rawItem);
    const itemPointer = `#/paths/${escapePointer(path)}`;
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.operationId)
        throw new Error(`${spec.file}: ${method.toUpperCase()} ${path} has no operationId`);
      const operationPointer = `${itemPointer}/${method}`;
      const parameters = mergeParameters(
        parametersAt(spec, item.parameters, `${itemPointer}/parameters`),
        parametersAt(spec, operation.parameters, `${operationPointer}/parameters`),
      );
      const responses = Object.entries<any>(operation.responses ?? {}).map(([status, raw]) =>
        response(spec, status, raw, `${operationPointer}/responses/${escapePointer(status)}`),
      );
      const success = responses.find((answer) => /^2\d\d$/.test(answer.status));
      if (!success) throw new Error(`${spec.file}: ${operation.operationId} has no 2xx response`);
      const body = operation.requestBody;
      result.push({
        spec: spec.name,
        host: spec.host,
        operationId: operation.operationId,
        key: `${spec.name}:${operation.operationId}`,
        method,
        path,
        summary: operation.summary,
        tags: operation.tags ?? [],
        parameters,
        requestBody: body
          ? {
              required: resolveRef(document, body).required === true,
              ...mediaType(spec, body, `${operationPointer}/requestBody`)!,
            }
          : undefined,
        responses,
        success,
      });
    }
  }
  return result;
}

function parametersAt(spec: LoadedSpec, list: any[] | undefined, at: string): SpecParameter[] {
  return (list ?? []).map((raw, index) => {
    const base = raw.$ref ?? `${at}/${index}`;
    const parameter = resolveRef(spec.document, raw);
    return {
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true || parameter.in === 'path',
      style: parameter.style,
      explode: parameter.explode,
      schema: parameter.schema ?? {},
      schemaPointer: `${base}/schema`,
    };
  });
}

/** Operation-level parameters override path-level ones with the same name and location. */
function mergeParameters(pathLevel: SpecParameter[], own: SpecParameter[]): SpecParameter[] {
  const merged = pathLevel.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
  return [...merged, ...own];
}

function response(spec: LoadedSpec, status: string, raw: any, at: string): SpecResponse {
  const resolved = resolveRef(spec.document, raw);
  return {
    status,
    description: resolved.description,
    content: mediaType(spec, raw, raw.$ref ?? at),
  };
}

/** The first media type of a request body or response (following a `$ref` to components). */
function mediaType(spec: LoadedSpec, raw: any, at: string): SpecMediaType | undefined {
  const base = raw.$ref ?? at;
  const resolved = resolveRef(spec.document, raw);
  const [contentType, media] = Object.entries<any>(resolved.content ?? {})[0] ?? [];
  if (!contentType) return undefined;
  return {
    contentType,
    pointer: `${base}/content/${escapePointer(contentType)}`,
    schema: media.schema,
  };
}
