import { describe, expect, it } from 'vitest';
import { findOperation, specOperations } from './operations.js';
import { loadSpecs } from './specs.js';

describe('specOperations', () => {
  it('lists every operation of the nine specs once, with a unique key', () => {
    const operations = specOperations();
    const counted = loadSpecs().reduce(
      (sum, spec) =>
        sum +
        Object.values<any>(spec.document.paths).reduce(
          (inner, item) => inner + ['get', 'post', 'put', 'patch', 'delete'].filter((m) => item[m]).length,
          0,
        ),
      0,
    );
    expect(loadSpecs()).toHaveLength(9);
    expect(operations).toHaveLength(counted);
    expect(new Set(operations.map((operation) => operation.key)).size).toBe(operations.length);
  });

  it('gives each operation its host, method, path, parameters and success answer', () => {
    const getDomain = findOperation('getDomain');
    expect(getDomain).toMatchObject({
      spec: 'email-sending',
      host: 'general',
      method: 'get',
      path: '/api/domains/{domain_id}',
      success: { status: '200', content: { contentType: 'application/json' } },
    });
    expect(
      getDomain.parameters.map((parameter) => [parameter.name, parameter.in, parameter.required]),
    ).toEqual([['domain_id', 'path', true]]);
    expect(findOperation('email-sending-bulk:sendBulkEmail').host).toBe('bulk');
    expect(findOperation('sandbox-sending:sendEmail')).toMatchObject({
      host: 'sandbox',
      path: '/api/send/{sandbox_id}',
    });
    expect(findOperation('deleteDomain').success).toMatchObject({ status: '204' });
    expect(findOperation('deleteDomain').success.content).toBeUndefined();
  });

  it('declares every path template parameter', () => {
    for (const operation of specOperations()) {
      const inPath = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      const declared = operation.parameters
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect(declared, operation.key).toEqual(inPath);
    }
  });

  it('refuses an unknown operation and names the candidates of an ambiguous one', () => {
    expect(() => findOperation('sendEmail')).toThrow(
      /email-sending-transactional:sendEmail, sandbox-sending:sendEmail/,
    );
    expect(() => findOperation('noSuchOperation')).toThrow('no operation noSuchOperation');
  });
});
