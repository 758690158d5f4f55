import {
  action,
  type CliIo,
  type Command,
  formatFields,
  formatTable,
  Option,
  parseAddress,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import {
  findDomain,
  formatDnsRecords,
  listDomains,
  missingRecords,
  verificationState,
} from '../domain-lookup';
import { accountCommand, type Flags, within } from './shared';

/** `mailtrap-kit domains list|show|create|delete|setup`. */
export function registerDomains(program: Command, io: CliIo): void {
  const domains = program
    .command('domains')
    .description('sending domains: list, show with DNS records, create, delete, send setup instructions');

  withExamples(
    accountCommand(
      domains,
      'list',
      'the sending domains the token sees, with their verification state',
    ).action(
      action((flags: Flags, command) =>
        within(command, flags, async ({ api }) => {
          const data = await listDomains(api);
          if (flags.json) return writeJson(io, data);
          io.stdout.write(
            formatTable(
              data,
              [
                { header: 'Id', value: (domain) => domain.id, align: 'right' },
                { header: 'Domain', value: (domain) => domain.domain_name },
                { header: 'State', value: (domain) => verificationState(domain) },
                { header: 'Compliance', value: (domain) => domain.compliance_status },
              ],
              'No sending domains. Add one: mailtrap-kit domains create example.com',
            ),
          );
        }),
      ),
    ),
    'mailtrap-kit domains list --json',
  );

  withExamples(
    accountCommand(domains, 'show', 'one domain with its DNS records and what is still to publish')
      .argument('<domain>', 'domain name or id')
      .action(
        action((flags: Flags, command, name) =>
          within(command, flags, async ({ api }) => {
            const domain = await api.domains.get((await findDomain(api, name!)).id);
            if (flags.json) return writeJson(io, domain);
            io.stdout.write(
              formatFields([
                ['id', domain.id],
                ['domain', domain.domain_name],
                ['state', verificationState(domain)],
                ['compliance', domain.compliance_status],
                ['verified at', domain.dns_verified_at],
              ]),
            );
            io.stdout.write(`\nDNS records:\n${formatDnsRecords(domain, domain.dns_records ?? [])}`);
            const missing = missingRecords(domain);
            if (missing.length > 0)
              io.stdout.write(
                `\nPublish the ${missing.length} record${missing.length === 1 ? '' : 's'} not passing at your DNS provider; Mailtrap verifies the domain when they resolve.\n`,
              );
          }),
        ),
      ),
    'mailtrap-kit domains show example.com',
  );

  withExamples(
    accountCommand(domains, 'create', 'add a sending domain; prints the DNS records to publish')
      .argument('<domain>', 'domain name, e.g. mail.example.com')
      .action(
        action((flags: Flags, command, name) =>
          within(command, flags, async ({ api }) => {
            const domain = await api.domains.create({ domain_name: name! });
            if (flags.json) return writeJson(io, domain);
            io.stdout.write(
              `Created ${domain.domain_name} (id ${domain.id}): ${verificationState(domain)}\n\n`,
            );
            io.stdout.write(formatDnsRecords(domain, domain.dns_records ?? []));
          }),
        ),
      ),
    'mailtrap-kit domains create mail.example.com',
  );

  withExamples(
    accountCommand(domains, 'delete', 'delete a sending domain (its token stops working)')
      .argument('<domain>', 'domain name or id')
      .addOption(new Option('--yes', 'really delete (without it, only says what would be deleted)'))
      .action(
        action((flags: Flags & { yes?: boolean }, command, name) =>
          within(command, flags, async ({ api }) => {
            const domain = await findDomain(api, name!);
            if (!flags.yes) {
              io.stdout.write(
                `Would delete ${domain.domain_name} (id ${domain.id}). Run again with --yes to delete it.\n`,
              );
              return 0;
            }
            await api.domains.delete(domain.id);
            if (flags.json) return writeJson(io, { deleted: domain.id, domain_name: domain.domain_name });
            io.stdout.write(`Deleted ${domain.domain_name} (id ${domain.id}).\n`);
          }),
        ),
      ),
    'mailtrap-kit domains delete old.example.com --yes',
  );

  withExamples(
    accountCommand(
      domains,
      'setup',
      "email the domain's DNS setup instructions (to whoever manages your DNS)",
    )
      .argument('<domain>', 'domain name or id')
      .requiredOption('--email <address>', 'who receives the instructions', parseAddress)
      .action(
        action((flags: Flags & { email: { email: string } }, command, name) =>
          within(command, flags, async ({ api }) => {
            const domain = await findDomain(api, name!);
            await api.domains.sendSetupInstructions(domain.id, flags.email.email);
            if (flags.json)
              return writeJson(io, { sent: true, domain_id: domain.id, email: flags.email.email });
            io.stdout.write(
              `Sent the setup instructions of ${domain.domain_name} to ${flags.email.email}.\n`,
            );
          }),
        ),
      ),
    'mailtrap-kit domains setup example.com --email dns-admin@example.com',
  );
}
