import type { IncomingHttpHeaders } from 'node:http';
import { coerceToSchema } from './coerce.js';
import type { SpecOperation } from './operations.js';
import { readQuery } from './query.js';
import { schemaProblems } from './schemas.js';
import { loadSpecs } from './specs.js';

export interface RequestInput {
  params: Record<string, string>;
  search: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ValidatedRequest {
  /** Path parameters, typed as their schema says (`domain_id` is a number). */
  params: Record<string, unknown>;
  /** Query parameters by spec name, typed as their schema says. */
  query: Record<string, unknown>;
  /** The parsed JSON body (the text when it is not JSON; undefined when empty). */
  body: unknown;
  /** What does not match the spec, one readable line each; empty for a valid request. */
  problems: string[];
}

/** Checks one request against its operation: auth header, path and query parameters, JSON body. */
export function validateRequest(operation: SpecOperation, input: RequestInput): ValidatedRequest {
  const document = loadSpecs().find((spec) => spec.name === operation.spec)!.document;
  const problems: string[] = [...authProblems(input.headers)];

  const params: Record<string, unknown> = {};
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    const value = coerceToSchema(input.params[parameter.name], parameter.schema, document);
    params[parameter.name] = value;
    problems.push(
      ...schemaProblems(operation.spec, parameter.schemaPointer, value, `path/${parameter.name}`),
    );
  }

  const reading = readQuery(input.search, operation.parameters);
  problems.push(...reading.problems);
  const query: Record<string, unknown> = {};
  for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
    if (!(parameter.name in reading.values)) continue;
    const value = coerceToSchema(reading.values[parameter.name], parameter.schema, document);
    query[parameter.name] = value;
    problems.push(
      ...schemaProblems(operation.spec, parameter.schemaPointer, value, `query/${parameter.name}`),
    );
  }

  const { body, problems: bodyProblems } = readBody(operation, input);
  problems.push(...bodyProblems);
  return { params, query, body, problems };
}

function authProblems(headers: IncomingHttpHeaders): string[] {
  const bearer = /^Bearer \S+$/.test(String(headers.authorization ?? ''));
  const apiToken = typeof headers['api-token'] === 'string' && headers['api-token'] !== '';
  if (bearer && apiToken) return ['headers: send either Authorization: Bearer or Api-Token, not both'];
  if (!bearer && !apiToken) return ['headers: no Authorization: Bearer <token> or Api-Token header'];
  return [];
}

function readBody(operation: SpecOperation, input: RequestInput): { body: unknown; problems: string[] } {
  const spec = operation.requestBody;
  const text = input.body;
  if (!spec) {
    return text.length > 0
      ? {
          body: text,
          problems: [`body: ${operation.operationId} takes no request body, got ${text.length} bytes`],
        }
      : { body: undefined, problems: [] };
  }
  if (text.length === 0) {
    return { body: undefined, problems: spec.required ? ['body: the request body is required'] : [] };
  }
  const contentType = String(input.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (contentType !== spec.contentType) {
    return {
      body: text,
      problems: [`headers: content-type must be ${spec.contentType}, got ${contentType || 'none'}`],
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { body: text, problems: [`body: not JSON (${(error as Error).message})`] };
  }
  return {
    body,
    problems: spec.schema ? schemaProblems(operation.spec, `${spec.pointer}/schema`, body, 'body') : [],
  };
}
