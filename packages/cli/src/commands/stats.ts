import {
  action,
  type CliIo,
  CliUsageError,
  type Command,
  collect,
  formatBarChart,
  formatTable,
  Option,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import type { SendingStats, StatsFilters } from '@mailtrap-kit/core';
import type { AccountApi } from '../account-api';
import { findDomain, listDomains } from '../domain-lookup';
import { accountCommand, type Flags, within } from './shared';

const METRICS = ['delivery', 'bounce', 'open', 'click', 'spam'] as const;
type Metric = (typeof METRICS)[number];
const columnNames: Record<Metric, string> = {
  delivery: 'delivered',
  bounce: 'bounced',
  open: 'opened',
  click: 'clicked',
  spam: 'spam',
};
type Grouping = 'category' | 'domain' | 'esp' | 'date';

interface StatsFlags extends Flags {
  by?: Grouping;
  since?: string;
  until?: string;
  stream?: 'transactional' | 'bulk';
  category?: string[];
  domain?: string[];
  metric: Metric;
}

/** One row of the stats: a group (or "total") and its counts. */
export interface StatsRow {
  group: string;
  stats: SendingStats;
}

function day(value: string | undefined, option: string, fallback: Date): string {
  if (value === undefined) return fallback.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new CliUsageError(`${option}: expected a day like 2026-01-31 (got ${JSON.stringify(value)})`, {
      option,
    });
  return value;
}

async function statsFilters(api: AccountApi, flags: StatsFlags, now = new Date()): Promise<StatsFilters> {
  const end = day(flags.until, '--until', now);
  const start = day(flags.since, '--since', new Date(Date.parse(end) - 29 * 86_400_000));
  if (start > end) throw new CliUsageError(`--since ${start} is after --until ${end}`, { option: '--since' });
  const filters: StatsFilters = { start_date: start, end_date: end };
  if (flags.stream) filters.sending_streams = [flags.stream];
  if (flags.category?.length) filters.categories = flags.category;
  if (flags.domain?.length) {
    filters.domain_ids = [];
    for (const name of flags.domain) filters.domain_ids.push((await findDomain(api, name)).id);
  }
  return filters;
}

/** The stats of the command line as rows, grouped by `by` (or one "total" row). */
export async function loadStats(
  api: AccountApi,
  by: Grouping | undefined,
  filters: StatsFilters,
): Promise<StatsRow[]> {
  switch (by) {
    case undefined:
      return [{ group: 'total', stats: await api.stats.get(filters) }];
    case 'category':
      return (await api.stats.byCategory(filters)).map((entry) => ({
        group: entry.category ?? '',
        stats: entry.stats ?? {},
      }));
    case 'esp':
      return (await api.stats.byEmailServiceProvider(filters)).map((entry) => ({
        group: entry.email_service_provider ?? '',
        stats: entry.stats ?? {},
      }));
    case 'date':
      return (await api.stats.byDate(filters)).map((entry) => ({
        group: entry.date ?? '',
        stats: entry.stats ?? {},
      }));
    case 'domain': {
      const data = await listDomains(api);
      const names = new Map(data.map((domain) => [domain.id, domain.domain_name]));
      return (await api.stats.byDomain(filters)).map((entry) => ({
        group: names.get(entry.domain_id ?? -1) ?? String(entry.domain_id),
        stats: entry.stats ?? {},
      }));
    }
  }
}

function percent(rate: number | undefined): string {
  return rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`;
}

function count(stats: SendingStats, metric: Metric): number {
  return stats[`${metric}_count`] ?? 0;
}

/** The table and the bar chart `stats` prints. */
export function formatStats(
  rows: StatsRow[],
  by: Grouping | undefined,
  metric: Metric,
  width: number,
): string {
  const table = formatTable(
    rows,
    [
      { header: by ?? 'Period', value: (row) => row.group },
      ...METRICS.map((name) => ({
        header: columnNames[name],
        value: (row: StatsRow) => count(row.stats, name),
        align: 'right' as const,
      })),
      {
        header: 'delivery rate',
        value: (row: StatsRow) => percent(row.stats.delivery_rate),
        align: 'right' as const,
      },
      {
        header: 'open rate',
        value: (row: StatsRow) => percent(row.stats.open_rate),
        align: 'right' as const,
      },
    ],
    'No messages in this period.',
  );
  if (rows.length === 0) return table;
  const bars =
    by === undefined
      ? METRICS.map((name) => ({ label: name, value: count(rows[0]!.stats, name) }))
      : rows.map((row) => ({ label: row.group, value: count(row.stats, metric) }));
  const title = by === undefined ? 'Messages by event' : `${metric} by ${by}`;
  return `${table}\n${title}:\n${formatBarChart(bars, { width })}`;
}

/** `mailtrap-kit stats [--by category|domain|esp|date]`. */
export function registerStats(program: Command, io: CliIo): void {
  withExamples(
    accountCommand(
      program,
      'stats',
      'sending stats (delivered, bounced, opened, clicked, spam) as a table and a bar chart; --json for scripts',
    )
      .addOption(new Option('--by <dimension>', 'group by').choices(['category', 'domain', 'esp', 'date']))
      .addOption(new Option('--since <day>', 'first day, YYYY-MM-DD (default: 29 days before --until)'))
      .addOption(new Option('--until <day>', 'last day, YYYY-MM-DD (default: today, UTC)'))
      .addOption(new Option('--from <day>', 'same as --since').hideHelp())
      .addOption(new Option('--to <day>', 'same as --until').hideHelp())
      .addOption(
        new Option('--stream <stream>', 'only this stream (default: both)').choices([
          'transactional',
          'bulk',
        ]),
      )
      .addOption(
        new Option('--category <category>', 'only this category (repeatable)').argParser(collect(String)),
      )
      .addOption(
        new Option('--domain <domain>', 'only this sending domain, name or id (repeatable)').argParser(
          collect(String),
        ),
      )
      .addOption(
        new Option('--metric <metric>', 'what the bars of a grouped chart count')
          .choices([...METRICS])
          .default('delivery'),
      )
      .action(
        action((flags: StatsFlags & { from?: string; to?: string }, command) =>
          within(command, flags, async ({ api }) => {
            const filters = await statsFilters(api, {
              ...flags,
              since: flags.since ?? flags.from,
              until: flags.until ?? flags.to,
            });
            const rows = await loadStats(api, flags.by, filters);
            if (flags.json) return writeJson(io, { ...filters, by: flags.by ?? null, rows });
            io.stdout.write(`Stats from ${filters.start_date} to ${filters.end_date}\n\n`);
            io.stdout.write(formatStats(rows, flags.by, flags.metric, io.stdout.columns ?? 80));
          }),
        ),
      ),
    'mailtrap-kit stats --by category --since 2026-01-01',
    'mailtrap-kit stats --by date --metric open --json',
  );
}
