import {
  action,
  type CliIo,
  type Command,
  collect,
  formatTable,
  maskToken,
  Option,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import type { ApiToken, ApiTokenWithToken } from '@mailtrap-kit/core';
import type { ApiTokenResource } from '../account-api';
import { findDomain } from '../domain-lookup';
import { accountCommand, type Flags, within } from './shared';

const levels: Record<number, string> = { 10: 'viewer', 100: 'admin' };

function describeResources(token: ApiToken): string {
  return (token.resources ?? [])
    .map(
      (resource) =>
        `${resource.resource_type} ${resource.resource_id} (${levels[resource.access_level ?? 0] ?? resource.access_level})`,
    )
    .join(', ');
}

/** A new token value, shown this once, with what it can do. */
function printNewToken(io: CliIo, token: ApiTokenWithToken, verb: string): void {
  io.stdout.write(
    `${verb} token "${token.name}" (id ${token.id}): ${describeResources(token) || 'no resources'}\n\n`,
  );
  io.stdout.write(`  ${token.token}\n\n`);
  io.stdout.write(
    'This is the only time the token is shown: store it now (e.g. as MAILTRAP_API_TOKEN in your secrets).\n',
  );
}

/** `mailtrap-kit tokens list|create|reset|delete`. */
export function registerTokens(program: Command, io: CliIo): void {
  const tokens = program
    .command('tokens')
    .description('API tokens: list, create, reset, delete (a new token is printed once)');

  withExamples(
    accountCommand(
      tokens,
      'list',
      'the API tokens of the account (never their values: the last four characters)',
    ).action(
      action((flags: Flags, command) =>
        within(command, flags, async ({ api }) => {
          const list = await api.apiTokens.list();
          if (flags.json) return writeJson(io, list);
          io.stdout.write(
            formatTable(list, [
              { header: 'Id', value: (token) => token.id, align: 'right' },
              { header: 'Name', value: (token) => token.name },
              {
                header: 'Token',
                value: (token) => (token.last_4_digits ? maskToken(`xxxxxxxxx${token.last_4_digits}`) : ''),
              },
              { header: 'Resources', value: (token) => describeResources(token) },
              { header: 'Created by', value: (token) => token.created_by },
              { header: 'Expires', value: (token) => token.expires_at ?? 'never' },
            ]),
          );
        }),
      ),
    ),
    'mailtrap-kit tokens list',
  );

  withExamples(
    accountCommand(tokens, 'create', 'create an API token; its value is printed once')
      .requiredOption('--name <name>', 'a name that says where the token is used')
      .addOption(
        new Option(
          '--domain <domain>',
          'a sending domain (name or id) the token may send from (repeatable)',
        ).argParser(collect(String)),
      )
      .addOption(new Option('--account <level>', 'account-wide access').choices(['viewer', 'admin']))
      .addOption(
        new Option('--access <level>', 'access level on each --domain')
          .choices(['viewer', 'admin'])
          .default('admin'),
      )
      .action(
        action(
          (flags: Flags & { name: string; domain?: string[]; account?: string; access: string }, command) =>
            within(command, flags, async ({ api, client }) => {
              const level = (name: string) => (name === 'admin' ? 100 : 10);
              const resources: ApiTokenResource[] = [];
              for (const name of flags.domain ?? []) {
                const domain = await findDomain(api, name);
                resources.push({
                  resource_type: 'domain',
                  resource_id: domain.id,
                  access_level: level(flags.access),
                });
              }
              if (flags.account) {
                const [account] = await api.accounts.list();
                const id = client.accountId ?? account?.id;
                resources.push({
                  resource_type: 'account',
                  resource_id: id ?? 0,
                  access_level: level(flags.account),
                });
              }
              const created = await api.apiTokens.create({ name: flags.name, resources });
              if (flags.json) return writeJson(io, created);
              printNewToken(io, created, 'Created');
            }),
        ),
      ),
    'mailtrap-kit tokens create --name "checkout service" --domain example.com',
  );

  withExamples(
    accountCommand(
      tokens,
      'reset',
      'replace a token with a new value (the old one stops working); printed once',
    )
      .argument('<id>', 'token id (see tokens list)')
      .action(
        action((flags: Flags, command, id) =>
          within(command, flags, async ({ api }) => {
            const token = await api.apiTokens.reset(Number(id));
            if (flags.json) return writeJson(io, token);
            printNewToken(io, token, 'Reset');
          }),
        ),
      ),
    'mailtrap-kit tokens reset 42',
  );

  withExamples(
    accountCommand(tokens, 'delete', 'delete a token: it stops working at once')
      .argument('<id>', 'token id (see tokens list)')
      .addOption(new Option('--yes', 'really delete (without it, only says what would be deleted)'))
      .action(
        action((flags: Flags & { yes?: boolean }, command, id) =>
          within(command, flags, async ({ api }) => {
            const token = (await api.apiTokens.list()).find((candidate) => String(candidate.id) === id);
            if (!token) {
              io.stderr.write(`mailtrap-kit: no API token with id ${id} (see mailtrap-kit tokens list)\n`);
              return 1;
            }
            if (!flags.yes) {
              io.stdout.write(
                `Would delete token "${token.name}" (id ${token.id}). Run again with --yes to delete it.\n`,
              );
              return 0;
            }
            await api.apiTokens.delete(token.id!);
            if (flags.json) return writeJson(io, { deleted: token.id });
            io.stdout.write(`Deleted token "${token.name}" (id ${token.id}).\n`);
          }),
        ),
      ),
    'mailtrap-kit tokens delete 42 --yes',
  );
}
