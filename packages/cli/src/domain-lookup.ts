import { CliUsageError, formatTable } from '@mailtrap-kit/cli-kit';
import type { Domain, DomainDnsRecord as DnsRecord } from '@mailtrap-kit/core';
import type { AccountApi } from './account-api';

/** A sending domain with the id and name every answer has (the spec marks every field optional). */
export type SendingDomain = Domain & { id: number; domain_name: string };

/** The sending domains the token sees. */
export async function listDomains(api: AccountApi): Promise<SendingDomain[]> {
  const { data } = await api.domains.list();
  return (data ?? []).filter(
    (domain): domain is SendingDomain =>
      typeof domain.id === 'number' && typeof domain.domain_name === 'string',
  );
}

/** The domain a command names, by id or by name; a name the token does not see is a usage error listing the ones it does. */
export async function findDomain(api: AccountApi, nameOrId: string): Promise<SendingDomain> {
  const data = await listDomains(api);
  const wanted = nameOrId.trim().toLowerCase();
  const found = data.find(
    (domain) => String(domain.id) === wanted || domain.domain_name.toLowerCase() === wanted,
  );
  if (!found) {
    const names = data.map((domain) => domain.domain_name).join(', ') || 'none';
    throw new CliUsageError(`No sending domain "${nameOrId}" for this token (it has: ${names})`, {
      option: 'domain',
    });
  }
  return found;
}

/** The DNS records of a domain that do not pass yet: what is still to publish. */
export function missingRecords(domain: Domain): DnsRecord[] {
  return (domain.dns_records ?? []).filter((record) => record.status !== 'pass');
}

/** The hostname to publish a record at: its `domain` (full name), else `name` under the domain. */
export function recordHost(domain: Domain, record: DnsRecord): string {
  if (record.domain) return record.domain;
  return record.name ? `${record.name}.${domain.domain_name}` : (domain.domain_name ?? '');
}

/** DNS records as a table to copy into a DNS provider. */
export function formatDnsRecords(domain: Domain, records: DnsRecord[]): string {
  return formatTable(records, [
    { header: 'Type', value: (record) => record.type },
    { header: 'Name', value: (record) => recordHost(domain, record) },
    { header: 'Value', value: (record) => record.value },
    { header: 'Status', value: (record) => record.status },
  ]);
}

/** "verified" or what is missing, in a few words. */
export function verificationState(domain: Domain): string {
  if (domain.dns_verified)
    return domain.compliance_status && domain.compliance_status !== 'compliant'
      ? `verified (${domain.compliance_status})`
      : 'verified';
  const missing = missingRecords(domain).length;
  return `not verified (${missing} DNS record${missing === 1 ? '' : 's'} to publish)`;
}
