import type { MailtrapClientOptions, MailtrapEndpoints } from '@mailtrap-kit/core';
import type { Command } from 'commander';
import { configFilePath, readConfigFile } from './config-file';
import { CliUsageError } from './errors';
import { type EndpointFlags, resolveEndpoints } from './endpoints';
import { ioOf, keepSecret } from './program';
import { findToken, type ResolvedToken, requireToken } from './token';

/** The options {@link addConnectionOptions} defines, as commander hands them to an action. */
export interface ConnectionFlags extends EndpointFlags {
  token?: string;
  config?: string;
  accountId?: string;
}

/** Where a command connects, and with which token (if any was found). */
export interface Connection {
  token: ResolvedToken | undefined;
  endpoints: Required<MailtrapEndpoints>;
  accountId: string | undefined;
  configPath: string;
}

/**
 * Resolves the connection options of a command: token (flag, `MAILTRAP_API_TOKEN`, config file),
 * endpoints (flags, `MAILTRAP_ENDPOINT`, config file, Mailtrap's hosts), account id. The token is
 * registered so that no error output of the program shows it.
 */
export function resolveConnection(command: Command, flags: ConnectionFlags): Connection {
  const io = ioOf(command);
  const configPath = configFilePath(io.env, io.cwd, flags.config);
  const config = readConfigFile(configPath, flags.config !== undefined);
  const token = findToken({
    flag: flags.token,
    env: io.env,
    config: { path: configPath, token: config.token },
  });
  if (token) keepSecret(command, token.token);
  const accountId =
    flags.accountId ||
    io.env.MAILTRAP_ACCOUNT_ID ||
    (config.accountId === undefined ? undefined : String(config.accountId));
  if (accountId !== undefined && !/^[1-9][0-9]*$/.test(accountId))
    throw new CliUsageError(`The account id must be a positive integer, got ${JSON.stringify(accountId)}`, {
      option: '--account-id',
    });
  return {
    token,
    endpoints: resolveEndpoints(flags, io.env, config),
    accountId,
    configPath,
  };
}

/** The connection's core client options; a missing token is a usage error saying where to put one. */
export function clientOptions(connection: Connection, userAgent: string): MailtrapClientOptions {
  const token = connection.token ?? requireToken({ env: {}, config: { path: connection.configPath } });
  const options: MailtrapClientOptions = {
    token: token.token,
    endpoints: connection.endpoints,
    userAgent,
  };
  if (connection.accountId !== undefined) options.accountId = connection.accountId;
  return options;
}
