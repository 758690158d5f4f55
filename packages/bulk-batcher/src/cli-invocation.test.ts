import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from '@mailtrap-kit/cli-kit';
import { readEndpointFlags, streamSource } from './cli-endpoints';
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
  /** The stream URL mailtrap-bulk sends on, and where it is said to come from. */
  function stated(
    stream: 'bulk' | 'transactional',
    flags: { endpoint?: string; bulkEndpoint?: string; sendEndpoint?: string },
    env: Record<string, string> = {},
  ) {
    const read = readEndpointFlags(flags);
    const endpoints = resolveEndpoints(read.flags, env);
    return {
      url: endpoints[stream === 'bulk' ? 'bulk' : 'send'],
      general: endpoints.general,
      from: streamSource(stream, read.flags, env),
      note: read.note,
    };
  }

  it('--endpoint is the base URL of every kit command: the stream below it, the account API at it', () => {
    expect(stated('bulk', {})).toEqual({
      url: 'https://bulk.api.mailtrap.io',
      general: 'https://mailtrap.io',
      from: undefined,
      note: undefined,
    });
    expect(stated('transactional', {}).url).toBe('https://send.api.mailtrap.io');
    expect(stated('bulk', { endpoint: 'http://127.0.0.1:4025' })).toEqual({
      url: 'http://127.0.0.1:4025/bulk',
      general: 'http://127.0.0.1:4025',
      from: '--endpoint',
      note: undefined,
    });
    expect(stated('transactional', { endpoint: 'http://127.0.0.1:4025/' }).url).toBe(
      'http://127.0.0.1:4025/transactional',
    );
    expect(stated('bulk', {}, { MAILTRAP_ENDPOINT: 'http://127.0.0.1:4025/' })).toMatchObject({
      url: 'http://127.0.0.1:4025/bulk',
      from: 'MAILTRAP_ENDPOINT',
    });
    expect(stated('bulk', {}, { MAILTRAP_BULK_ENDPOINT: 'https://proxy.example/b' })).toMatchObject({
      url: 'https://proxy.example/b',
      from: 'MAILTRAP_BULK_ENDPOINT',
    });
  });

  it('--bulk-endpoint / --send-endpoint take the stream URL itself (the former --endpoint)', () => {
    expect(stated('bulk', { bulkEndpoint: 'https://proxy.example/mailtrap-bulk' })).toMatchObject({
      url: 'https://proxy.example/mailtrap-bulk',
      general: 'https://mailtrap.io',
      from: '--bulk-endpoint',
    });
    expect(
      stated('transactional', { endpoint: 'http://127.0.0.1:4025', sendEndpoint: 'https://proxy.example/t' }),
    ).toMatchObject({
      url: 'https://proxy.example/t',
      general: 'http://127.0.0.1:4025',
      from: '--send-endpoint',
    });
  });

  it('an --endpoint in the former form (a stream URL) is read as its base, with a note', () => {
    const former = stated('bulk', { endpoint: 'http://127.0.0.1:4025/bulk' });
    expect(former).toMatchObject({ url: 'http://127.0.0.1:4025/bulk', general: 'http://127.0.0.1:4025' });
    expect(former.note).toContain(
      'names the bulk stream, not a base URL: read as --endpoint http://127.0.0.1:4025',
    );
    expect(former.note).toContain('or --bulk-endpoint http://127.0.0.1:4025/bulk for that one host');
    expect(stated('bulk', { endpoint: 'http://127.0.0.1:4025/transactional/' }).url).toBe(
      'http://127.0.0.1:4025/bulk',
    );
    const mailtrap = stated('bulk', { endpoint: 'https://bulk.api.mailtrap.io' });
    expect(mailtrap).toMatchObject({
      url: 'https://bulk.api.mailtrap.io',
      general: 'https://mailtrap.io',
      from: '--bulk-endpoint',
    });
    expect(mailtrap.note).toContain("is Mailtrap's bulk stream host, not a base URL");
  });
});
