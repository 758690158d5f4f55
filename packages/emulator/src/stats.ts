/**
 * Sending stats computed from the kept Email Logs entries, as the Stats dashboard counts them:
 * per entry, whether it was delivered, bounced, opened, clicked or complained about; rates of
 * deliveries and bounces over the messages that reached an outcome, of opens, clicks and spam
 * over the delivered ones, rounded to two decimals (which the spec's example numbers fit).
 */
import { eventsOf } from './message-events';
import type { LogItem, Store } from './store';

export interface SendingStats {
  delivery_count: number;
  delivery_rate: number;
  bounce_count: number;
  bounce_rate: number;
  open_count: number;
  open_rate: number;
  click_count: number;
  click_rate: number;
  spam_count: number;
  spam_rate: number;
}

export interface StatsQuery {
  /** Inclusive, UTC days as 'YYYY-MM-DD'. */
  startDate: string;
  endDate: string;
  domainIds?: Set<number>;
  streams?: Set<string>;
  categories?: Set<string>;
  providers?: Set<string>;
  /** The token's domains; undefined: all. */
  visibleDomainIds?: Set<number>;
}

export type StatsGroup = 'domain' | 'category' | 'email_service_provider' | 'date';

interface Counts {
  delivered: number;
  bounced: number;
  opened: number;
  clicked: number;
  spam: number;
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100) / 100);

function stats(counts: Counts): SendingStats {
  const outcome = counts.delivered + counts.bounced;
  return {
    delivery_count: counts.delivered,
    delivery_rate: rate(counts.delivered, outcome),
    bounce_count: counts.bounced,
    bounce_rate: rate(counts.bounced, outcome),
    open_count: counts.opened,
    open_rate: rate(counts.opened, counts.delivered),
    click_count: counts.clicked,
    click_rate: rate(counts.clicked, counts.delivered),
    spam_count: counts.spam,
    spam_rate: rate(counts.spam, counts.delivered),
  };
}

function provider(item: LogItem): string | undefined {
  for (const event of eventsOf(item)) {
    const value = event.details.email_service_provider;
    if (value) return value;
  }
  return undefined;
}

function tally(counts: Counts, item: LogItem): void {
  let delivered = false;
  let bounced = false;
  let opened = false;
  let clicked = false;
  let spam = false;
  for (const event of eventsOf(item)) {
    if (event.event_type === 'delivery') delivered = true;
    else if (event.event_type === 'bounce') bounced = true;
    else if (event.event_type === 'open') opened = true;
    else if (event.event_type === 'click') clicked = true;
    else if (event.event_type === 'spam') spam = true;
  }
  if (delivered) counts.delivered++;
  if (bounced) counts.bounced++;
  if (opened) counts.opened++;
  if (clicked) counts.clicked++;
  if (spam) counts.spam++;
}

const empty = (): Counts => ({ delivered: 0, bounced: 0, opened: 0, clicked: 0, spam: 0 });

/** The stats of the entries the query selects, in total (`group` undefined) or per group. */
export function computeStats(store: Store, query: StatsQuery, group?: StatsGroup) {
  const start = Date.parse(`${query.startDate}T00:00:00Z`);
  const end = Date.parse(`${query.endDate}T00:00:00Z`) + 86_400_000;
  const total = empty();
  const groups = new Map<string | number, Counts>();
  for (let index = 0; index < store.logs.length; index++) {
    const item = store.logs.at(index)!;
    const message = item.message;
    if (message.sentAtMs < start || message.sentAtMs >= end) continue;
    if (query.visibleDomainIds && !query.visibleDomainIds.has(message.domainId)) continue;
    if (query.domainIds && !query.domainIds.has(message.domainId)) continue;
    if (query.streams && !query.streams.has(message.stream)) continue;
    if (query.categories && (message.category === null || !query.categories.has(message.category))) continue;
    const esp = query.providers || group === 'email_service_provider' ? provider(item) : undefined;
    if (query.providers && (esp === undefined || !query.providers.has(esp))) continue;
    if (!group) {
      tally(total, item);
      continue;
    }
    const key =
      group === 'domain'
        ? message.domainId
        : group === 'category'
          ? message.category
          : group === 'email_service_provider'
            ? esp
            : message.sentAt.slice(0, 10);
    if (key === null || key === undefined) continue;
    let counts = groups.get(key);
    if (!counts) {
      counts = empty();
      groups.set(key, counts);
    }
    tally(counts, item);
  }
  if (!group) return stats(total);
  const name = group === 'domain' ? 'domain_id' : group;
  const keys = [...groups.keys()];
  if (group === 'date') {
    // every day of the range, as the dashboard's chart has it
    for (let day = start; day < end && keys.length < 3660; day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      if (!groups.has(date)) {
        groups.set(date, empty());
        keys.push(date);
      }
    }
    keys.sort();
  }
  return keys.map((key) => ({ [name]: key, stats: stats(groups.get(key)!) }));
}
