import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operationsTable, tableEnd, tableStart } from './operations-table';

describe('the README operations table', () => {
  it('is the one generated from the registry (run the operations-table script after adding a method)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(tableStart);
    const end = readme.indexOf(tableEnd);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    expect(readme.slice(start + tableStart.length, end).trim()).toBe(operationsTable());
  });
});
