import { describe, expect, it } from 'vitest';
import { exampleFor } from './examples.js';
import { specOperations } from './operations.js';
import { validateResponse } from './responses.js';

describe('exampleFor', () => {
  it('finds an answer for every response of every operation', () => {
    const missing = specOperations().flatMap((operation) =>
      operation.responses
        .filter((response) => exampleFor(operation, response.status) === undefined)
        .map((response) => `${operation.key} ${response.status}`),
    );
    // the specs give (or let us build) an example for every answer today; a new spec that does not
    // shows here which answers a test must supply with `successBodies` / `answerNext(..., { body })`
    expect(missing).toEqual([]);
  });

  it('takes the vendor example first and says where each answer came from', () => {
    const sources = new Map<string, string[]>();
    for (const operation of specOperations()) {
      const example = exampleFor(operation)!;
      sources.set(example.source, [...(sources.get(example.source) ?? []), operation.key]);
    }
    expect(sources.get('no-body')).toContain('email-sending:deleteDomain');
    expect(sources.get('example')).toContain('email-sending:listWebhooks');
    expect(exampleFor(specOperations().find((o) => o.operationId === 'getDomain')!)?.source).toBe('schema');
    // built from property examples: the spec has no example for the whole answer
    expect(sources.get('properties')).toContain('email-sending:getDomains');
  });

  it('answers text bodies as text', () => {
    const text = exampleFor(
      specOperations().find((o) => o.operationId === 'getSandboxEmailMessageBodyAsTxt')!,
    )!;
    expect(text.contentType).toBe('text/plain');
    expect(typeof text.body).toBe('string');
  });

  it('gives success examples that match their own response schema', () => {
    const invalid = specOperations().flatMap((operation) => {
      const example = exampleFor(operation)!;
      const problems = validateResponse(operation.key, example.status, example.body);
      return problems.length ? [`${operation.key}: ${problems.join('; ')}`] : [];
    });
    expect(invalid).toEqual([]);
  });

  it('lists the vendor error examples that contradict their own schema', () => {
    const invalid = specOperations().flatMap((operation) =>
      operation.responses
        .filter(
          (response) => !/^2/.test(response.status) && response.content?.contentType === 'application/json',
        )
        .filter((response) => {
          const example = exampleFor(operation, response.status)!;
          return validateResponse(operation.key, example.status, example.body).length > 0;
        })
        .map((response) => `${operation.key} ${response.status}`),
    );
    // vendor defects (422 examples with objects where the schema says strings), documented in the README
    expect(invalid).toEqual([
      'contacts:updateContact 422',
      'contacts:createContactEvent 422',
      'contacts:createContactExport 422',
      'contacts:createContactField 422',
      'contacts:updateContactField 422',
    ]);
  });
});
