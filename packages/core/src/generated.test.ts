import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../scripts/generate-types.mjs', import.meta.url));

describe('src/generated', () => {
  it('matches what openapi-typescript writes from the specs in openapi/ today', async () => {
    // exits 1 and names the stale files when a spec changed without `pnpm --filter @mailtrap-kit/core generate`
    const { stderr } = await run(process.execPath, [script, '--check']);
    expect(stderr).toBe('');
  }, 60_000);
});
