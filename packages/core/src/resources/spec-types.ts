// Helpers that read request and response types out of the types generated from the vendor specs
// (`src/generated`), so a resource names an operation instead of copying its shapes.

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } }
  ? Body
  : Response extends { content: Record<string, infer Body> }
    ? Body
    : undefined;

/** The body of an operation's first 2xx answer (`undefined` for a 204). */
export type SuccessBody<Operation> = Operation extends { responses: infer Responses }
  ? 200 extends keyof Responses
    ? JsonContent<Responses[200]>
    : 201 extends keyof Responses
      ? JsonContent<Responses[201]>
      : undefined
  : never;

/** The JSON request body of an operation. */
export type RequestBody<Operation> = Operation extends { requestBody?: infer Body }
  ? JsonContent<NonNullable<Body>>
  : never;

/** The query parameters of an operation. */
export type QueryParameters<Operation> = Operation extends { parameters: { query?: infer Query } }
  ? NonNullable<Query>
  : never;
