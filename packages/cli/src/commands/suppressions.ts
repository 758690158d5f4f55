import {
  action,
  type CliIo,
  type Command,
  formatTable,
  Option,
  parseAddress,
  streamOption,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import { findDomain } from '../domain-lookup';
import { accountCommand, type Flags, within } from './shared';

/** `mailtrap-kit suppressions list|add|remove`. */
export function registerSuppressions(program: Command, io: CliIo): void {
  const suppressions = program
    .command('suppressions')
    .description(
      'addresses Mailtrap will not send to (hard bounces, complaints, unsubscribes, manual): list, add, remove',
    );

  withExamples(
    accountCommand(suppressions, 'list', 'the suppressed addresses (10 requests/min per account)')
      .addOption(new Option('--email <address>', 'only this address'))
      .action(
        action((flags: Flags & { email?: string }, command) =>
          within(command, flags, async ({ api }) => {
            const list = await api.suppressions.list(flags.email ? { email: flags.email } : {});
            if (flags.json) return writeJson(io, list);
            io.stdout.write(
              formatTable(
                list,
                [
                  { header: 'Email', value: (entry) => entry.email },
                  { header: 'Type', value: (entry) => entry.type },
                  { header: 'Stream', value: (entry) => entry.sending_stream },
                  { header: 'Domain', value: (entry) => entry.domain_name },
                  { header: 'Since', value: (entry) => entry.created_at },
                  { header: 'Id', value: (entry) => entry.id },
                ],
                'No suppressed addresses.',
              ),
            );
          }),
        ),
      ),
    'mailtrap-kit suppressions list --email ada@example.org',
  );

  withExamples(
    accountCommand(suppressions, 'add', 'suppress an address for a sending domain and stream')
      .argument('<email>', 'the address')
      .requiredOption('--domain <domain>', 'sending domain (name or id) the suppression belongs to')
      .addOption(streamOption('transactional'))
      .action(
        action((flags: Flags & { domain: string; stream: 'transactional' | 'bulk' }, command, email) =>
          within(command, flags, async ({ api }) => {
            const address = parseAddress(email!).email;
            const domain = await findDomain(api, flags.domain);
            const created = await api.suppressions.create({
              email: address,
              domain_id: domain.id,
              sending_stream: flags.stream,
              type: 'manual import',
            });
            if (flags.json) return writeJson(io, created);
            io.stdout.write(
              `Suppressed ${address} on the ${flags.stream} stream of ${domain.domain_name}.\n`,
            );
          }),
        ),
      ),
    'mailtrap-kit suppressions add ada@example.org --domain example.com --stream bulk',
  );

  withExamples(
    accountCommand(
      suppressions,
      'remove',
      'remove a suppression (by id, or every one of an address): Mailtrap sends to it again',
    )
      .argument('<id-or-email>', 'suppression id, or an address to remove all of its suppressions')
      .action(
        action((flags: Flags, command, target) =>
          within(command, flags, async ({ api }) => {
            const isEmail = target!.includes('@');
            const ids = isEmail
              ? (await api.suppressions.list({ email: target! })).map((entry) => entry.id)
              : [target!];
            if (ids.length === 0) {
              io.stderr.write(`mailtrap-kit: ${target} is not suppressed\n`);
              return 1;
            }
            for (const id of ids) await api.suppressions.delete(id);
            if (flags.json) return writeJson(io, { removed: ids });
            io.stdout.write(
              `Removed ${ids.length} suppression${ids.length === 1 ? '' : 's'} of ${target}.\n`,
            );
          }),
        ),
      ),
    'mailtrap-kit suppressions remove ada@example.org',
  );
}
