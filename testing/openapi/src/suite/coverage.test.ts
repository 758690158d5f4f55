import { describe, expect, it } from 'vitest';
import { findOperation, specOperations } from '../operations.js';
import { areaCases } from './areas/index.js';
import { describeAccountApi } from './describe-account-api.js';
import { accountApiAreas } from './types.js';

describe('the account-API suite', () => {
  const cases = Object.values(areaCases).flatMap((area) =>
    area.cases.map((one) => ({ area: area.area, ...one })),
  );

  it('has cases for every area, each named after its own namespace', () => {
    expect(Object.keys(areaCases).sort()).toEqual([...accountApiAreas].sort());
    for (const one of cases) expect(one.method.split('.')[0], one.method).toBe(one.area);
  });

  it('calls every account-API operation of the specs (all but the sending hosts)', () => {
    const covered = new Set(cases.map((one) => findOperation(one.operation).key));
    const uncovered = specOperations()
      .filter((operation) => operation.host === 'general' && !covered.has(operation.key))
      .map((operation) => operation.key);
    expect(uncovered).toEqual([]);
    expect(covered.size).toBe(specOperations().filter((operation) => operation.host === 'general').length);
  });

  it('refuses an unsupported method the suite has no case for', () => {
    expect(() =>
      describeAccountApi({
        name: 'x',
        setup: () => ({ client: {} }),
        unsupported: { 'sandboxMessages.nope': 501 },
      }),
    ).toThrow('unsupported: the suite has no case "sandboxMessages.nope"');
  });

  it('refuses an unknown area', () => {
    expect(() =>
      describeAccountApi({ name: 'x', setup: () => ({ client: {} }), areas: ['nope' as never] }),
    ).toThrow('unknown account-API area "nope"');
  });
});
