import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamEndpoint } from './cli-main';
import { invocation } from './invocation';

describe('the command printed to resume', () => {
  const project = mkdtempSync(join(tmpdir(), 'bulk-invocation-'));
  const bin = join(project, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const script = join(project, 'node_modules', '@mailtrap-kit', 'bulk-batcher', 'dist', 'cli.js');
  mkdirSync(join(script, '..'), { recursive: true });
  writeFileSync(script, '');
  symlinkSync(script, join(bin, 'mailtrap-bulk'));

  it('is started the way this run was: npx, pnpm exec, yarn, bunx', () => {
    const local = join(bin, 'mailtrap-bulk');
    expect(
      invocation({
        env: { npm_config_user_agent: 'npm/10.8.2 node/v20', npm_command: 'exec' },
        script: local,
        cwd: project,
      }),
    ).toBe('npx mailtrap-bulk');
    expect(
      invocation({
        env: { npm_config_user_agent: 'npm/10.8.2 node/v20', npm_command: 'exec' },
        script: '/tmp/npx/cli.js',
        cwd: project,
      }),
    ).toBe('npx --package @mailtrap-kit/bulk-batcher mailtrap-bulk');
    expect(
      invocation({
        env: { npm_config_user_agent: 'pnpm/10.34.8 npm/? node/v20' },
        script: local,
        cwd: project,
      }),
    ).toBe('pnpm exec mailtrap-bulk');
    expect(invocation({ env: { npm_config_user_agent: 'yarn/4.5.0' }, script: local, cwd: project })).toBe(
      'yarn mailtrap-bulk',
    );
    expect(invocation({ env: { npm_config_user_agent: 'bun/1.1' }, script: local, cwd: project })).toBe(
      'bunx mailtrap-bulk',
    );
  });

  it('is the bare name when the PATH finds this script, else the local bin path as typed', () => {
    const local = join(bin, 'mailtrap-bulk');
    expect(invocation({ env: { PATH: bin }, script: local, cwd: project })).toBe('mailtrap-bulk');
    expect(invocation({ env: { PATH: '/nowhere' }, script: local, cwd: project })).toBe(
      './node_modules/.bin/mailtrap-bulk',
    );
    expect(invocation({ env: {}, script: script, cwd: project })).toBe(
      'node ./node_modules/@mailtrap-kit/bulk-batcher/dist/cli.js',
    );
  });
});

describe('the stream and host stated before sending', () => {
  it('names where the URL came from and notes a bare host on the bulk stream', () => {
    expect(streamEndpoint({ stream: 'bulk' }, {})).toEqual({ url: 'https://bulk.api.mailtrap.io' });
    expect(streamEndpoint({ stream: 'transactional' }, {})).toEqual({ url: 'https://send.api.mailtrap.io' });
    expect(streamEndpoint({ stream: 'bulk' }, { MAILTRAP_ENDPOINT: 'http://127.0.0.1:4025/' })).toEqual({
      url: 'http://127.0.0.1:4025/bulk',
      from: 'MAILTRAP_ENDPOINT',
    });
    expect(streamEndpoint({ stream: 'bulk', endpoint: 'http://127.0.0.1:4025/bulk' }, {})).toEqual({
      url: 'http://127.0.0.1:4025/bulk',
      from: '--endpoint',
    });
    const bare = streamEndpoint({ stream: 'bulk', endpoint: 'http://127.0.0.1:4025' }, {});
    expect(bare.note).toContain(
      'answers the transactional stream at its root and the bulk stream at http://127.0.0.1:4025/bulk',
    );
  });
});
