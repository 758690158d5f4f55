import { specOperations } from '@mailtrap-kit/openapi-testing';
import { describe, expect, it } from 'vitest';
import { MailtrapClient } from '../client';
import { OPERATION_REGISTRY } from './registry';

// The spec drift test: every operation of the vendor specs (openapi/) has a core method, and every
// core method an operation. A new vendor spec shows here exactly what is missing.

/** `spec:operationId` for an operationId in several specs, else the operationId. */
function keyOf(entry: { spec?: string; operationId: string }, ambiguous: Set<string>): string {
  return ambiguous.has(entry.operationId) ? `${entry.spec}:${entry.operationId}` : entry.operationId;
}

describe('spec drift: the registry against the vendor specs', () => {
  const operations = specOperations();
  const counts = new Map<string, number>();
  for (const operation of operations)
    counts.set(operation.operationId, (counts.get(operation.operationId) ?? 0) + 1);
  const ambiguous = new Set([...counts].filter(([, count]) => count > 1).map(([id]) => id));
  const specKeys = new Set(operations.map((operation) => keyOf(operation, ambiguous)));
  const registryKeys = OPERATION_REGISTRY.map((entry) => keyOf(entry, ambiguous));

  it('every core method calls an operation of the specs', () => {
    expect(registryKeys.filter((key) => !specKeys.has(key))).toEqual([]);
  });

  it('every operation of the specs has a core method', () => {
    const registered = new Set(registryKeys);
    expect([...specKeys].filter((key) => !registered.has(key))).toEqual([]);
  });

  it('each operation has one method, and the method, path and HTTP method agree with the spec', () => {
    expect(new Set(registryKeys).size).toBe(registryKeys.length);
    const client = new MailtrapClient({ token: 'registry-token' });
    for (const entry of OPERATION_REGISTRY) {
      const target =
        entry.namespace === '' ? client : (client as unknown as Record<string, unknown>)[entry.namespace];
      expect(
        typeof (target as Record<string, unknown>)?.[entry.method],
        `${entry.namespace}.${entry.method}`,
      ).toBe('function');
      if (entry.namespace === '') continue;
      const operation = operations.find(
        (candidate) => keyOf(candidate, ambiguous) === keyOf(entry, ambiguous),
      )!;
      expect(entry.http, entry.operationId).toBe(
        `${operation.method.toUpperCase()} ${operation.path.replace(/^\/api/, '')}`,
      );
    }
    void client.close();
  });
});
