import { findResponse } from './examples.js';
import { findOperation } from './operations.js';
import { schemaProblems } from './schemas.js';

/**
 * Checks an answer body against the response schema the spec gives for `status` of an operation
 * (`operationId`, or `spec:operationId` where the id is on several hosts). Returns the problems,
 * one readable line each: empty means the body matches. A status the spec does not list for the
 * operation is itself a problem; a status without a schema (204, text bodies) checks nothing more.
 */
export function validateResponse(operationRef: string, status: number, body: unknown): string[] {
  const operation = findOperation(operationRef);
  const response = findResponse(operation, status) ?? findResponse(operation, 'default');
  if (!response) {
    const listed = operation.responses.map((answer) => answer.status).join(', ');
    return [`status: ${operation.key} has no ${status} answer in the spec (it lists ${listed})`];
  }
  if (!response.content) {
    return body === undefined || body === '' || body === null
      ? []
      : [`body: the spec's ${status} answer of ${operation.key} has no body`];
  }
  if (!response.content.schema) return [];
  if (response.content.contentType !== 'application/json') {
    return typeof body === 'string' || body instanceof Uint8Array
      ? []
      : [
          `body: the spec's ${status} answer of ${operation.key} is ${response.content.contentType}, got ${typeof body}`,
        ];
  }
  return schemaProblems(operation.spec, `${response.content.pointer}/schema`, body, 'response');
}
