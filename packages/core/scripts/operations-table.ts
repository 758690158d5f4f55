// Rewrites the operations table of README.md from the registry (src/resources/registry.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { operationsTable, tableEnd, tableStart } from '../src/resources/operations-table';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(readme, 'utf8');
const start = text.indexOf(tableStart);
const end = text.indexOf(tableEnd);
if (start === -1 || end === -1) throw new Error(`README.md has no ${tableStart} ... ${tableEnd} section`);
writeFileSync(
  readme,
  `${text.slice(0, start + tableStart.length)}\n\n${operationsTable()}\n\n${text.slice(end)}`,
);
console.log('README.md operations table updated');
