import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliUsageError } from './errors';

/** What a mailtrap-kit config file may hold (JSON). Every key is optional. */
export interface CliConfigFile {
  /** An API token; read only when neither `--token` nor `MAILTRAP_API_TOKEN` gives one. */
  token?: string;
  /** A base URL laid out like the emulator's, as `--endpoint` takes. */
  endpoint?: string;
  /** The account id of `/api/accounts/{id}/...` paths. */
  accountId?: string | number;
}

/** Variable naming another config file. */
export const CONFIG_VARIABLE = 'MAILTRAP_CONFIG';

/**
 * The config file to read: `--config`, else `MAILTRAP_CONFIG`, else
 * `$XDG_CONFIG_HOME/mailtrap-kit/config.json` (`~/.config/mailtrap-kit/config.json`).
 */
export function configFilePath(env: Record<string, string | undefined>, cwd: string, flag?: string): string {
  const given = flag ?? env[CONFIG_VARIABLE];
  if (given) return resolve(cwd, given);
  const base = env.XDG_CONFIG_HOME || join(env.HOME || env.USERPROFILE || homedir(), '.config');
  return join(base, 'mailtrap-kit', 'config.json');
}

/** Reads a config file; an absent file is `{}` unless `required` (a path the user named). */
export function readConfigFile(path: string, required = false): CliConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !required) return {};
    throw new CliUsageError(`Cannot read the config file ${path}: ${(error as Error).message}`, {
      option: '--config',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`The config file ${path} is not valid JSON (${(error as Error).message})`, {
      option: '--config',
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError(`The config file ${path} must hold an object like {"token": "..."}`, {
      option: '--config',
    });
  }
  const config = parsed as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!['token', 'endpoint', 'accountId'].includes(key)) {
      throw new CliUsageError(
        `The config file ${path} has an unknown key "${key}" (known: token, endpoint, accountId)`,
        { option: '--config' },
      );
    }
  }
  if (config.token !== undefined && typeof config.token !== 'string')
    throw new CliUsageError(`The config file ${path}: "token" must be a string`, { option: '--config' });
  if (config.endpoint !== undefined && typeof config.endpoint !== 'string')
    throw new CliUsageError(`The config file ${path}: "endpoint" must be a string`, { option: '--config' });
  if (
    config.accountId !== undefined &&
    typeof config.accountId !== 'string' &&
    typeof config.accountId !== 'number'
  )
    throw new CliUsageError(`The config file ${path}: "accountId" must be a number`, { option: '--config' });
  return config as CliConfigFile;
}
