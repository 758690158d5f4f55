import { describeError, isMailtrap, maskToken, TOKEN_VARIABLE, tokenHint } from '@mailtrap-kit/cli-kit';
import { delay, type EmailLogMessage, MailtrapError } from '@mailtrap-kit/core';
import type { Domain } from '@mailtrap-kit/core';
import {
  listDomains,
  missingRecords,
  recordHost,
  type SendingDomain,
  verificationState,
} from '../domain-lookup';
import { eventText } from '../commands/logs';
import type { Session } from '../session';
import { type CodeSamples, codeSamples } from './samples';

/** One check of `doctor`: passed, failed (with the exact fix), a warning, or skipped (and why). */
export interface DoctorCheck {
  id: 'token' | 'token-valid' | 'domains' | 'sender' | 'stream-host' | 'test-send' | 'email-logs';
  status: 'pass' | 'fail' | 'warn' | 'skip';
  title: string;
  /** Lines under the title: records to copy, events, ... */
  details?: string[];
  /** What to do about a failure, as a command or a step. */
  fix?: string;
}

export interface DoctorSettings {
  stream: 'transactional' | 'bulk';
  /** The sender; default `doctor@<the first verified domain>`. */
  from?: string;
  /** The test recipient; default the emulator's `delivered@simulator.mailtrap-kit.test`, none on Mailtrap. */
  to?: string;
  /** How long to follow the test email in Email Logs. */
  timeoutMs: number;
  /** How often to look. */
  intervalMs: number;
  /** Told of each check as it ends, and of the wait in Email Logs. */
  onCheck?(check: DoctorCheck): void;
  onWait?(elapsedMs: number, status: string | undefined): void;
}

export interface DoctorResult {
  ok: boolean;
  /** The in-process emulator the checks ran against (no token given). */
  emulator?: string;
  checks: DoctorCheck[];
  samples?: CodeSamples;
  messageId?: string;
}

export const SIMULATOR_DELIVERED = 'delivered@simulator.mailtrap-kit.test';

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function statusOf(error: unknown): number | undefined {
  return MailtrapError.isInstance(error) ? error.status : undefined;
}

function recordLines(domain: Domain): string[] {
  return missingRecords(domain).map(
    (record) =>
      `${(record.type ?? '').padEnd(5)} ${recordHost(domain, record)}  ->  ${record.value ?? ''}  (${record.status ?? 'missing'})`,
  );
}

/** The fix for a refused test send, from what the API answered. */
function sendFix(error: unknown, from: string, stream: string): string {
  const message = `${describeError(error)}`.toLowerCase();
  const status = statusOf(error);
  if (status === 401 && message.includes('cover'))
    return `The token is another domain's: use the API token of ${domainOf(from)} (Domains → ${domainOf(from)} → Integration), or create one: mailtrap-kit tokens create --name app --domain ${domainOf(from)}`;
  if (status === 401)
    return `The token has no ${stream} permission: use a token with access to the ${stream} stream of ${domainOf(from)}`;
  if (status === 403)
    return `Mailtrap refuses ${domainOf(from)}: verify it (mailtrap-kit domains show ${domainOf(from)}) and check its compliance status`;
  if (MailtrapError.isInstance(error) && error.code === 'network')
    return 'Check the network, a proxy, or --endpoint';
  return 'See the error above';
}

/** Follows a message in Email Logs until it is delivered, not delivered, opted out, or the time runs out. */
async function followMessage(
  session: Session,
  messageId: string,
  settings: DoctorSettings,
): Promise<{ message?: EmailLogMessage; error?: unknown }> {
  const started = Date.now();
  let last: EmailLogMessage | undefined;
  for (;;) {
    try {
      last = await session.api.emailLogs.get(messageId);
      if (last.status !== 'enqueued') return { message: last };
    } catch (error) {
      if (statusOf(error) !== 404) return { error };
    }
    const elapsed = Date.now() - started;
    settings.onWait?.(elapsed, last?.status);
    if (elapsed >= settings.timeoutMs) return last ? { message: last } : {};
    await delay(Math.min(settings.intervalMs, Math.max(0, settings.timeoutMs - elapsed)));
  }
}

/**
 * The integration as checks, in the order a user sets it up: token found and valid, sending
 * domains and their DNS records, the sender's domain covered and verified, the stream's host
 * answering, a test email sent and followed into Email Logs. Nothing is sent while an earlier
 * check that sending needs has failed.
 */
export async function runDoctorChecks(session: Session, settings: DoctorSettings): Promise<DoctorResult> {
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => {
    checks.push(check);
    settings.onCheck?.(check);
    return check;
  };
  const { connection } = session;
  const token = connection.token!;
  const result: DoctorResult = { ok: false, checks };
  if (session.emulator) {
    result.emulator = session.emulator.url;
    add({
      id: 'token',
      status: 'warn',
      title: `No API token: checking an emulator started in this process (${session.emulator.url})`,
      fix: `To check your Mailtrap account: ${tokenHint(connection.configPath)}`,
    });
  } else {
    add({
      id: 'token',
      status: 'pass',
      title: `API token found in ${token.origin} (${maskToken(token.token)})`,
    });
  }

  // The token is valid: the account API answers it.
  let valid = false;
  try {
    const accounts = await session.api.accounts.list();
    const account = accounts[0];
    const levels: Record<number, string> = { 1000: 'owner', 100: 'admin', 10: 'viewer' };
    const access = account?.access_levels?.map((level) => levels[level] ?? String(level)).join(', ');
    add({
      id: 'token-valid',
      status: 'pass',
      title: account
        ? `Token valid: account "${account.name}" (id ${account.id})${access ? `, access: ${access}` : ''}`
        : 'Token valid (no account-wide access: a domain or project token)',
    });
    valid = true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 403) {
      add({
        id: 'token-valid',
        status: 'pass',
        title: 'Token valid (no account-wide access: a domain or project token)',
      });
      valid = true;
    } else {
      add({
        id: 'token-valid',
        status: 'fail',
        title: `The token is not accepted: ${describeError(error)}`,
        fix:
          status === 401
            ? `Copy a token from Settings → API Tokens (https://mailtrap.io/api-tokens) or the domain's Integration tab, then: export ${TOKEN_VARIABLE}=<token>`
            : 'Check the network, a proxy, or --endpoint',
      });
    }
  }

  // The sending domains the token sees, verified or with the records still to publish.
  let domains: SendingDomain[] | undefined;
  if (valid) {
    try {
      domains = await listDomains(session.api);
      const verified = domains.filter((domain) => domain.dns_verified);
      const details: string[] = [];
      for (const domain of domains) {
        details.push(
          `${domain.dns_verified ? '✔' : '✖'} ${domain.domain_name}: ${verificationState(domain)}`,
        );
        if (!domain.dns_verified) details.push(...recordLines(domain).map((line) => `    ${line}`));
      }
      add({
        id: 'domains',
        status: verified.length > 0 ? 'pass' : 'fail',
        title:
          domains.length === 0
            ? 'No sending domains'
            : `${domains.length} sending domain${domains.length === 1 ? '' : 's'}, ${verified.length} verified`,
        details,
        ...(verified.length > 0
          ? {}
          : {
              fix:
                domains.length === 0
                  ? 'Add your domain: mailtrap-kit domains create <your-domain>, then publish the DNS records it prints'
                  : 'Publish the DNS records above at your DNS provider (or send them to whoever manages it: mailtrap-kit domains setup <domain> --email <address>); Mailtrap verifies the domain when they resolve',
            }),
      });
    } catch (error) {
      add({
        id: 'domains',
        status: statusOf(error) === 403 || statusOf(error) === 401 ? 'skip' : 'fail',
        title: `Cannot list the sending domains: ${describeError(error)}`,
        fix: 'A token with access to the domains can list them (a sending-only token cannot)',
      });
    }
  }

  // The sender's domain: one of the token's, and verified.
  const firstVerified = domains?.find((domain) => domain.dns_verified);
  const from = settings.from ?? (firstVerified ? `doctor@${firstVerified.domain_name}` : undefined);
  let senderOk = false;
  if (!valid) {
    // nothing to check the sender against
  } else if (!from) {
    add({
      id: 'sender',
      status: 'fail',
      title: 'No sender: no verified domain to send from',
      fix: 'Verify a domain (see above), or pass --from <address> on a verified domain',
    });
  } else if (!domains) {
    add({
      id: 'sender',
      status: 'skip',
      title: `Sender ${from}: cannot be checked without the domains list`,
    });
    senderOk = true;
  } else {
    const domain = domains.find((candidate) => candidate.domain_name.toLowerCase() === domainOf(from));
    if (!domain) {
      const names = domains.map((candidate) => candidate.domain_name).join(', ') || 'none';
      add({
        id: 'sender',
        status: 'fail',
        title: `Sender ${from}: ${domainOf(from)} is not a sending domain of this token (it covers: ${names})`,
        fix: `Use the API token of ${domainOf(from)} (Domains → ${domainOf(from)} → Integration), send from a domain it covers (--from you@${firstVerified?.domain_name ?? names.split(', ')[0]}), or add the domain: mailtrap-kit domains create ${domainOf(from)}`,
      });
    } else if (!domain.dns_verified) {
      add({
        id: 'sender',
        status: 'fail',
        title: `Sender ${from}: ${domain.domain_name} is not verified yet, so nothing is sent`,
        details: recordLines(domain),
        fix: `Publish the DNS records of ${domain.domain_name} listed above, then run mailtrap-kit doctor again`,
      });
    } else {
      add({
        id: 'sender',
        status: 'pass',
        title: `Sender ${from}: ${domain.domain_name} is verified and covered by the token`,
      });
      senderOk = true;
    }
  }

  // The stream's host answers (an empty request: refused as invalid, nothing is sent).
  const hostName = settings.stream === 'bulk' ? 'bulk' : 'send';
  const host = connection.endpoints[hostName];
  let hostOk = false;
  try {
    await session.client.request({ method: 'POST', host: hostName, path: '/api/send', body: {} });
    add({ id: 'stream-host', status: 'pass', title: `The ${settings.stream} host ${host} answers` });
    hostOk = true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 400 || status === 422) {
      add({
        id: 'stream-host',
        status: 'pass',
        title: `The ${settings.stream} host ${host} answers (an empty message is refused as expected)`,
      });
      hostOk = true;
    } else if (status === 401 || status === 403) {
      add({
        id: 'stream-host',
        status: 'fail',
        title: `The ${settings.stream} host ${host} refuses the token: ${describeError(error)}`,
        fix: `Use a token with the ${settings.stream} stream's permission (each sending domain has one in its Integration tab)${settings.stream === 'bulk' ? ', or --stream transactional' : ''}`,
      });
    } else {
      add({
        id: 'stream-host',
        status: 'fail',
        title: `The ${settings.stream} host ${host} does not answer: ${describeError(error)}`,
        fix: 'Check the network, a proxy, or --endpoint / --send-endpoint / --bulk-endpoint',
      });
    }
  }

  // A test email, followed into Email Logs.
  const to = settings.to ?? (session.emulator ? SIMULATOR_DELIVERED : undefined);
  if (!senderOk || !hostOk || !from) {
    add({ id: 'test-send', status: 'skip', title: 'No test email sent: fix the checks above first' });
  } else if (!to) {
    add({
      id: 'test-send',
      status: 'skip',
      title: 'No test email sent: no recipient',
      fix: `Pass --to <your address> to send one and follow it into Email Logs`,
    });
  } else {
    let messageId: string | undefined;
    try {
      const sent = await session.client.send(
        {
          from: { email: from, name: 'mailtrap-kit doctor' },
          to: [{ email: to }],
          subject: 'mailtrap-kit doctor: test email',
          text: `This email was sent by mailtrap-kit doctor to check the ${settings.stream} stream.`,
          category: 'mailtrap-kit-doctor',
          custom_variables: { sent_by: 'mailtrap-kit doctor' },
        },
        {},
      );
      messageId = sent.message_ids[0];
      result.messageId = messageId;
      add({
        id: 'test-send',
        status: 'pass',
        title: `Test email from ${from} to ${to} accepted: ${messageId}`,
      });
    } catch (error) {
      add({
        id: 'test-send',
        status: 'fail',
        title: `Test email from ${from} to ${to} refused: ${describeError(error)}`,
        fix: sendFix(error, from, settings.stream),
      });
    }
    if (messageId) {
      const followed = await followMessage(session, messageId, settings);
      const message = followed.message;
      const events = (message?.events ?? []).map((event) => eventText(event));
      if (followed.error) {
        add({
          id: 'email-logs',
          status: 'fail',
          title: `Email Logs cannot be read: ${describeError(followed.error)}`,
          fix: 'Email Logs needs a token with access to the domain; the message itself was accepted',
        });
      } else if (!message) {
        add({
          id: 'email-logs',
          status: 'fail',
          title: `Not in Email Logs after ${Math.round(settings.timeoutMs / 1000)}s`,
          fix: `Follow it longer: mailtrap-kit logs ${messageId} (or doctor --timeout 5m)`,
        });
      } else if (message.status === 'delivered') {
        add({ id: 'email-logs', status: 'pass', title: `Delivered to ${to} (Email Logs)`, details: events });
      } else if (message.status === 'enqueued') {
        add({
          id: 'email-logs',
          status: 'fail',
          title: `Still enqueued after ${Math.round(settings.timeoutMs / 1000)}s`,
          details: events,
          fix: `Mailtrap queues over the plan's hourly cap; follow it: mailtrap-kit logs ${messageId}`,
        });
      } else {
        const bounced = (message.events ?? []).some((event) => /bounce|reject/.test(event.event_type));
        add({
          id: 'email-logs',
          status: 'fail',
          title: `${message.status === 'opted_out' ? 'Not sent: the recipient is suppressed' : bounced ? 'Bounced' : 'Not delivered'} (${message.status})`,
          details: events,
          fix:
            message.status === 'opted_out'
              ? `${to} is on the suppression list: mailtrap-kit suppressions list --email ${to}`
              : `The recipient's server refused it: check the address ${to}; a hard bounce suppresses it (mailtrap-kit suppressions list --email ${to})`,
        });
      }
    }
  }

  result.ok = checks.every((check) => check.status !== 'fail');
  result.samples = codeSamples({
    stream: settings.stream,
    endpoints: connection.endpoints,
    from: from ?? 'you@your-domain.com',
    to: to ?? 'someone@example.com',
    maskedToken: maskToken(token.token),
    mailtrap: isMailtrap(connection.endpoints),
  });
  return result;
}
