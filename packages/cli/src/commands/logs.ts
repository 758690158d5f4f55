import {
  action,
  type CliIo,
  CliUsageError,
  type Command,
  durationOption,
  formatFields,
  formatTable,
  integerParser,
  Option,
  withExamples,
  writeJson,
  writeJsonLine,
} from '@mailtrap-kit/cli-kit';
import { delay, type EmailLogEvent, type EmailLogMessage, type EmailLogsFilters } from '@mailtrap-kit/core';
import type { AccountApi } from '../account-api';
import { accountCommand, type Flags, within } from './shared';

interface LogsFlags extends Flags {
  to?: string;
  from?: string;
  subject?: string;
  status?: string;
  category?: string;
  stream?: string;
  since?: string;
  limit: number;
  follow?: boolean;
  interval: number;
}

/** A time as `--since` takes it: an ISO date/time, or an age like `15m`, `2h`, `7d`. */
export function parseSince(value: string, now = Date.now()): string {
  const age = /^(\d+)\s*(m|h|d)$/.exec(value.trim());
  if (age) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 'm' | 'h' | 'd'];
    return new Date(now - Number(age[1]) * unit).toISOString();
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CliUsageError(
      `--since: expected an age like 2h or 7d, or a date like 2026-01-31 (got ${JSON.stringify(value)})`,
      { option: '--since' },
    );
  return new Date(time).toISOString();
}

/** The Email Logs filters (the spec's `filters[field][operator]`/`[value]`) of the command line. */
export function logFilters(
  flags: Pick<LogsFlags, 'to' | 'from' | 'subject' | 'status' | 'category' | 'stream' | 'since'>,
): Record<string, unknown> {
  const filters: Record<string, unknown> = {};
  if (flags.to) filters.to = { operator: 'ci_equal', value: flags.to };
  if (flags.from) filters.from = { operator: 'ci_equal', value: flags.from };
  if (flags.subject) filters.subject = { operator: 'ci_contain', value: flags.subject };
  if (flags.status) filters.status = { operator: 'equal', value: flags.status };
  if (flags.category) filters.category = { operator: 'equal', value: flags.category };
  if (flags.stream) filters.sending_stream = { operator: 'equal', value: flags.stream };
  if (flags.since) filters.sent_after = parseSince(flags.since);
  return filters;
}

function logsTable(messages: EmailLogMessage[]): string {
  return formatTable(
    messages,
    [
      { header: 'Sent at', value: (message) => message.sent_at },
      { header: 'Status', value: (message) => message.status },
      { header: 'To', value: (message) => message.to },
      { header: 'From', value: (message) => message.from },
      { header: 'Subject', value: (message) => message.subject },
      { header: 'Category', value: (message) => message.category },
      { header: 'Stream', value: (message) => message.sending_stream },
      { header: 'Message id', value: (message) => message.message_id },
    ],
    'No messages in Email Logs match.',
  );
}

/** One event of an Email Logs message as a line: time, type, and its details. */
export function eventText(event: EmailLogEvent): string {
  const details = Object.entries(event.details ?? {})
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return [event.created_at, event.event_type, ...details].join('  ');
}

/** Newest first pages until `limit` messages (the API pages by 50 or so). */
async function listMessages(
  api: AccountApi,
  filters: Record<string, unknown>,
  limit: number,
): Promise<EmailLogMessage[]> {
  const messages: EmailLogMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.emailLogs.list({
      filters: filters as EmailLogsFilters,
      ...(cursor ? { search_after: cursor } : {}),
    });
    messages.push(...page.messages);
    cursor = page.next_page_cursor ?? undefined;
  } while (cursor && messages.length < limit);
  return messages.slice(0, limit);
}

async function follow(
  io: CliIo,
  api: AccountApi,
  flags: LogsFlags,
  seen: Map<string, string>,
): Promise<void> {
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop) {
      await delay(flags.interval);
      if (stop) break;
      const messages = await listMessages(api, logFilters(flags), flags.limit);
      for (const message of [...messages].reverse()) {
        const key = `${message.status}`;
        const before = seen.get(message.message_id);
        if (before === key) continue;
        seen.set(message.message_id, key);
        const detail = await api.emailLogs.get(message.message_id);
        if (flags.json) writeJsonLine(io, detail);
        else {
          io.stdout.write(
            `${before === undefined ? '+' : '~'} ${message.sent_at}  ${message.status}  ${message.to}  ${message.subject ?? ''}  ${message.message_id}\n`,
          );
          for (const event of detail.events ?? []) io.stdout.write(`    ${eventText(event)}\n`);
        }
      }
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** `mailtrap-kit logs [message-id] [filters] [--follow]`. */
export function registerLogs(program: Command, io: CliIo): void {
  withExamples(
    accountCommand(
      program,
      'logs',
      'Email Logs: the messages sent, newest first, or one message with its events; --follow prints new ones live',
    )
      .argument('[message-id]', 'show this message with its events')
      .addOption(new Option('--to <address>', 'recipient (case-insensitive)'))
      .addOption(new Option('--from <address>', 'sender (case-insensitive)'))
      .addOption(new Option('--subject <text>', 'subject contains'))
      .addOption(
        new Option('--status <status>', 'delivery status').choices([
          'delivered',
          'not_delivered',
          'enqueued',
          'opted_out',
        ]),
      )
      .addOption(new Option('--category <category>', 'category'))
      .addOption(new Option('--stream <stream>', 'sending stream').choices(['transactional', 'bulk']))
      .addOption(new Option('--since <time>', 'sent after: an age (15m, 2h, 7d) or a date/time'))
      .addOption(
        new Option('--limit <n>', 'at most this many messages')
          .argParser(integerParser(1, 10_000))
          .default(50),
      )
      .addOption(
        new Option('--follow', 'keep running and print new messages and status changes (NDJSON with --json)'),
      )
      .addOption(
        durationOption(
          '--interval <duration>',
          'how often --follow polls (Email Logs allows 60 lists/min)',
          2000,
        ),
      )
      .action(
        action((flags: LogsFlags, command, messageId) =>
          within(command, flags, async ({ api }) => {
            if (messageId) {
              const message = await api.emailLogs.get(messageId);
              if (flags.json) return writeJson(io, message);
              io.stdout.write(
                formatFields([
                  ['message id', message.message_id],
                  ['status', message.status],
                  ['sent at', message.sent_at],
                  ['from', message.from],
                  ['to', message.to],
                  ['subject', message.subject],
                  ['category', message.category],
                  ['stream', message.sending_stream],
                  ['opens / clicks', `${message.opens_count ?? 0} / ${message.clicks_count ?? 0}`],
                  ['custom variables', message.custom_variables],
                ]),
              );
              io.stdout.write(
                `\nEvents:\n${(message.events ?? []).map((event) => `  ${eventText(event)}`).join('\n') || '  (none yet)'}\n`,
              );
              return;
            }
            const messages = await listMessages(api, logFilters(flags), flags.limit);
            if (flags.json && !flags.follow) return writeJson(io, messages);
            if (flags.json) for (const message of [...messages].reverse()) writeJsonLine(io, message);
            else io.stdout.write(logsTable(messages));
            if (flags.follow) {
              const seen = new Map(messages.map((message) => [message.message_id, `${message.status}`]));
              if (!flags.json)
                io.stdout.write('Following new messages and status changes; Ctrl+C to stop.\n');
              await follow(io, api, flags, seen);
            }
          }),
        ),
      ),
    'mailtrap-kit logs --status not_delivered --since 1d',
    'mailtrap-kit logs --follow --json | jq .status',
  );
}
