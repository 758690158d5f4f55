import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFilePath, readConfigFile } from './config-file';
import { endpointsFromBase, isMailtrap, MAILTRAP_ENDPOINTS, resolveEndpoints } from './endpoints';
import { findToken, maskToken, redactToken, requireToken } from './token';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mtk-cli-kit-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('token', () => {
  it('takes the flag, then MAILTRAP_API_TOKEN, then the config file', () => {
    const config = { path: '/home/ada/.config/mailtrap-kit/config.json', token: 'from-file' };
    expect(findToken({ flag: 'from-flag', env: { MAILTRAP_API_TOKEN: 'from-env' }, config })).toEqual({
      token: 'from-flag',
      source: 'flag',
      origin: '--token',
    });
    expect(findToken({ env: { MAILTRAP_API_TOKEN: 'from-env' }, config })?.source).toBe('environment');
    expect(findToken({ env: { MAILTRAP_API_TOKEN: '  ' }, config })).toEqual({
      token: 'from-file',
      source: 'config',
      origin: config.path,
    });
    expect(findToken({ env: {} })).toBeUndefined();
    expect(() => requireToken({ env: {}, config: { path: '/etc/mt.json' } })).toThrow(
      'No API token. Set MAILTRAP_API_TOKEN, pass --token <token>, or put {"token": "..."} in /etc/mt.json.',
    );
  });

  it('masks all but the last four characters, and everywhere in a text', () => {
    expect(maskToken('0123456789abcdef')).toBe('********cdef');
    expect(maskToken('short')).toBe('********');
    expect(redactToken('a 0123456789abcdef b 0123456789abcdef', '0123456789abcdef')).toBe(
      'a ********cdef b ********cdef',
    );
  });
});

describe('config file', () => {
  it('is found through --config, MAILTRAP_CONFIG or XDG_CONFIG_HOME', () => {
    expect(configFilePath({}, '/work', 'mt.json')).toBe('/work/mt.json');
    expect(configFilePath({ MAILTRAP_CONFIG: '/etc/mt.json' }, '/work')).toBe('/etc/mt.json');
    expect(configFilePath({ XDG_CONFIG_HOME: '/cfg' }, '/work')).toBe('/cfg/mailtrap-kit/config.json');
    expect(configFilePath({ HOME: '/home/ada' }, '/work')).toBe('/home/ada/.config/mailtrap-kit/config.json');
  });

  it('reads token, endpoint and account id; refuses unknown keys and bad JSON naming the file', async () => {
    const path = join(directory, 'config.json');
    expect(readConfigFile(path)).toEqual({});
    expect(() => readConfigFile(path, true)).toThrow(`Cannot read the config file ${path}`);
    await writeFile(path, JSON.stringify({ token: 't', endpoint: 'http://127.0.0.1:4025', accountId: 7 }));
    expect(readConfigFile(path)).toEqual({ token: 't', endpoint: 'http://127.0.0.1:4025', accountId: 7 });
    await writeFile(path, JSON.stringify({ tokn: 't' }));
    expect(() => readConfigFile(path)).toThrow(`The config file ${path} has an unknown key "tokn"`);
    await writeFile(path, '{"token": ');
    expect(() => readConfigFile(path)).toThrow(`The config file ${path} is not valid JSON`);
  });
});

describe('endpoints', () => {
  it('lays one base URL out like the emulator, with per-host flags over it', () => {
    expect(endpointsFromBase('http://127.0.0.1:4025/')).toEqual({
      general: 'http://127.0.0.1:4025',
      send: 'http://127.0.0.1:4025/transactional',
      bulk: 'http://127.0.0.1:4025/bulk',
      sandbox: 'http://127.0.0.1:4025/sandbox',
    });
    expect(resolveEndpoints({})).toEqual(MAILTRAP_ENDPOINTS);
    expect(isMailtrap(resolveEndpoints({}))).toBe(true);
    expect(resolveEndpoints({}, { MAILTRAP_ENDPOINT: 'http://127.0.0.1:9' }).bulk).toBe(
      'http://127.0.0.1:9/bulk',
    );
    expect(resolveEndpoints({}, {}, { endpoint: 'http://127.0.0.1:8' }).general).toBe('http://127.0.0.1:8');
    const mixed = resolveEndpoints(
      { endpoint: 'http://127.0.0.1:1', sendEndpoint: 'https://proxy.example.com/send/' },
      { MAILTRAP_ENDPOINT: 'http://127.0.0.1:9' },
    );
    expect(mixed).toEqual({
      general: 'http://127.0.0.1:1',
      send: 'https://proxy.example.com/send',
      bulk: 'http://127.0.0.1:1/bulk',
      sandbox: 'http://127.0.0.1:1/sandbox',
    });
    expect(isMailtrap(mixed)).toBe(false);
    // core's per-host variables, under the command line's flags
    const perHost = {
      MAILTRAP_ENDPOINT: 'http://127.0.0.1:9',
      MAILTRAP_BULK_ENDPOINT: 'https://bulk-proxy.example.com',
    };
    expect(resolveEndpoints({}, perHost)).toMatchObject({
      bulk: 'https://bulk-proxy.example.com',
      send: 'http://127.0.0.1:9/transactional',
    });
    expect(resolveEndpoints({ endpoint: 'http://127.0.0.1:1' }, perHost).bulk).toBe(
      'http://127.0.0.1:1/bulk',
    );
    expect(resolveEndpoints({ bulkEndpoint: 'https://b.example.com' }, perHost).bulk).toBe(
      'https://b.example.com',
    );
    expect(() => resolveEndpoints({ endpoint: '127.0.0.1:4025' })).toThrow(
      '--endpoint must be a URL like http://127.0.0.1:4025 (got "127.0.0.1:4025")',
    );
    expect(() => resolveEndpoints({ bulkEndpoint: 'ftp://x' })).toThrow(
      '--bulk-endpoint must be an http(s) URL',
    );
  });
});
