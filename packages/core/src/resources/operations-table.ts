import { OPERATION_REGISTRY } from './registry';

/** The README's table of every operation: the spec's operationId, our method, the official SDK's. @internal */
export function operationsTable(): string {
  const rows = OPERATION_REGISTRY.map((entry) => {
    const method =
      entry.namespace === '' ? `client.${entry.method}` : `client.${entry.namespace}.${entry.method}`;
    const operation = entry.spec ? `${entry.operationId} (${entry.spec})` : entry.operationId;
    return `| \`${operation}\` | \`${entry.http}\` | \`${method}\` | ${entry.official ? `\`${entry.official}\`` : '—'} |`;
  });
  return [
    '| spec operation | HTTP (below `/api`) | our method | official `mailtrap` SDK |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export const tableStart =
  '<!-- operations table: generated from src/resources/registry.ts by `pnpm --filter @mailtrap-kit/core operations-table` -->';
export const tableEnd = '<!-- end of operations table -->';
