import { domainToASCII as domainToAscii } from 'node:url';
import type { MailtrapTransportClient } from './types';
import {
  type Address,
  type Domain,
  type DomainDnsRecord,
  type DomainsList,
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapPermissionError,
  MailtrapValidationError,
} from '@mailtrap-kit/core';

/** A sending domain as GET /api/domains lists it (core's type, from the vendor spec). */
type SendingDomain = Domain;

/** What the compliance states other than `compliant` and `demo` ask of the user (from the API reference). */
const complianceSteps: Record<string, string> = {
  demo_exhausted: 'the demo domain has used up its sending allowance',
  unverified_dns: 'its DNS records are not verified yet',
  missing_company_info: 'the account is missing company information (Settings, Company Information)',
  under_review: 'it is under automatic compliance review (usually done within 2 minutes)',
  awaiting_questionnaire: 'the compliance questionnaire on the Domains page is waiting for answers',
  awaiting_card_verification: 'card verification on the Domains page is still needed',
  non_compliant: 'it did not pass the compliance checks; contact Mailtrap support',
  suspended: 'its sending is suspended; contact Mailtrap support',
};

/** The warning `verify()` emits (`process.emitWarning`) when it could not check the domain. */
export const DOMAIN_NOT_CHECKED_WARNING = 'MAILTRAP_DOMAIN_NOT_CHECKED';

/**
 * The token check: a batch request with no messages on the client's stream. The API
 * authenticates before it validates, so a 400/422 answer means the token was accepted.
 */
async function checkToken(client: MailtrapTransportClient): Promise<void> {
  const stream = client.stream;
  const sandboxId = client.sandboxId;
  if (stream === 'sandbox' && sandboxId === undefined) {
    throw new MailtrapConfigurationError(
      'verify() needs the sandbox id of the client (`sandboxId`), and the client has none.',
    );
  }
  const host = stream === 'transactional' ? 'send' : stream;
  const path = stream === 'sandbox' ? `/api/batch/${sandboxId}` : '/api/batch';
  try {
    await client.request({ method: 'POST', path, host, body: { requests: [] } });
  } catch (error) {
    if (MailtrapValidationError.isInstance(error) && error.status !== undefined) return;
    throw error;
  }
}

async function listDomains(client: MailtrapTransportClient): Promise<SendingDomain[]> {
  const answer = client.domains
    ? await client.domains.list()
    : await client.request<DomainsList>({ method: 'GET', path: '/api/domains' });
  const list = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) {
    throw new MailtrapError('The domains list of the API has an unexpected shape (no `data` array).', {
      code: 'http',
    });
  }
  return list as SendingDomain[];
}

function describeRecord(record: DomainDnsRecord): string {
  const name = record.domain ?? record.key ?? 'record';
  return `${record.type ?? 'DNS'} ${name} → ${record.value ?? '?'} (${record.status ?? 'not verified'}${record.key ? `, ${record.key}` : ''})`;
}

function notChecked(domain: string, why: string): void {
  process.emitWarning(
    `verify(): the token is valid, but the sending domain ${domain} could not be checked: ${why}.`,
    { type: 'MailtrapWarning', code: DOMAIN_NOT_CHECKED_WARNING },
  );
}

function toAscii(domain: string): string {
  return (domainToAscii(domain) || domain).toLowerCase();
}

/**
 * `verify()`: the token, then, on the transactional and bulk streams, the sending domain of
 * `sender` (the transport's `from`, else createTransport's defaults). Resolves true when both
 * are fine, or when the domain could not be checked (the token may not read domains): then a
 * `MailtrapWarning` is emitted with `process.emitWarning` (code MAILTRAP_DOMAIN_NOT_CHECKED).
 * Rejects with the token's error, or with a `MailtrapPermissionError` naming the domain and what
 * is missing.
 */
export async function verifyTransport(
  client: MailtrapTransportClient,
  sender: Address | undefined,
): Promise<true> {
  await checkToken(client);
  if (client.stream === 'sandbox' || sender === undefined) return true;
  const domain = toAscii(sender.email.slice(sender.email.lastIndexOf('@') + 1));
  let domains: SendingDomain[];
  try {
    domains = await listDomains(client);
  } catch (error) {
    const status = MailtrapError.isInstance(error) ? error.status : undefined;
    if (status === 401 || status === 403 || status === 404) {
      notChecked(
        domain,
        status === 404
          ? 'this API has no domains endpoint'
          : `the token may not read the account's domains (${status})`,
      );
      return true;
    }
    throw error;
  }
  const found = domains.find((entry) => entry.domain_name && toAscii(entry.domain_name) === domain);
  if (!found) {
    const names = domains.map((entry) => entry.domain_name).filter(Boolean);
    throw new MailtrapPermissionError(
      `The sender ${sender.email} is on ${domain}, which is not a sending domain of this Mailtrap account${names.length > 0 ? ` (its domains: ${names.join(', ')})` : ''}. Add it under Sending Domains and verify its DNS records, or send from one of these.`,
    );
  }
  if (found.dns_verified !== true) {
    const missing = (found.dns_records ?? []).filter((record) => record.status !== 'pass');
    const errors = missing.map(describeRecord);
    throw new MailtrapPermissionError(
      `The sending domain ${domain} is not verified: ${errors.length > 0 ? `DNS records not verified: ${errors.join('; ')}` : 'its DNS records are not verified'}. Add them at your DNS provider; Mailtrap checks them again on the Sending Domains page.`,
      { errors },
    );
  }
  const compliance = found.compliance_status;
  const step = compliance === undefined ? undefined : complianceSteps[compliance];
  if (step !== undefined) {
    throw new MailtrapPermissionError(
      `The sending domain ${domain} cannot send yet (compliance status ${compliance}): ${step}.`,
      { errors: [`compliance_status: ${compliance}`] },
    );
  }
  return true;
}
