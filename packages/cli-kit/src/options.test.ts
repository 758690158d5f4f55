import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import {
  addConnectionOptions,
  durationOption,
  durationParser,
  formatDuration,
  hostEndpointOptions,
} from './options';

describe('the shared option definitions', () => {
  it('durations print the way they are read', () => {
    for (const ms of [250, 1000, 30_000, 60_000, 90_000, 120_000])
      expect(durationParser(formatDuration(ms))).toBe(ms);
    expect([formatDuration(250), formatDuration(30_000), formatDuration(120_000)]).toEqual([
      '250ms',
      '30s',
      '2m',
    ]);
    const option = durationOption('--settle-delay <duration>', 'wait', 30_000);
    expect(option.defaultValue).toBe(30_000);
    expect(option.defaultValueDescription).toBe('30s');
    expect(option.parseArg?.('2m', undefined)).toBe(120_000);
  });

  it('the per-host endpoints of the hosts a command talks to', () => {
    expect(hostEndpointOptions().map((option) => option.long)).toEqual([
      '--send-endpoint',
      '--bulk-endpoint',
      '--sandbox-endpoint',
      '--general-endpoint',
    ]);
    expect(hostEndpointOptions(['bulk', 'general']).map((option) => option.long)).toEqual([
      '--bulk-endpoint',
      '--general-endpoint',
    ]);
  });

  it('the connection options take all the per-host endpoints, or the listed ones', () => {
    const longs = (command: Command) => command.options.map((option) => option.long);
    expect(longs(addConnectionOptions(new Command(), { hosts: true }))).toEqual([
      '--token',
      '--config',
      '--endpoint',
      '--send-endpoint',
      '--bulk-endpoint',
      '--sandbox-endpoint',
      '--general-endpoint',
      '--account-id',
    ]);
    expect(longs(addConnectionOptions(new Command(), { hosts: ['bulk', 'general'] }))).toEqual([
      '--token',
      '--config',
      '--endpoint',
      '--bulk-endpoint',
      '--general-endpoint',
      '--account-id',
    ]);
  });
});
