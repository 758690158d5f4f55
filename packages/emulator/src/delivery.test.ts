import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
const token = 'admin-token';
const sim = (local: string) => `${local}@simulator.mailtrap-kit.test`;

beforeAll(async () => {
  emulator = await startEmulator({ tokens: [{ token }] });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const api = (path: string) => `${emulator.url}/api${path}`;
async function send(to: string[], extra: Record<string, unknown> = {}) {
  const result = await http(`${emulator.endpoints.send}/api/send`, {
    token,
    body: {
      from: { email: 'news@example.com' },
      to: to.map((email) => ({ email })),
      subject: 'Hello',
      html: '<p>Read <a href="https://example.com/offer?id=1">the offer</a></p>',
      category: 'welcome',
      ...extra,
    },
  });
  expect(result.status, result.text).toBe(200);
  return result.body.message_ids as string[];
}
const log = async (id: string) => (await http(api(`/email_logs/${id}`), { token })).body;
const logs = async (query: string) => (await http(api(`/email_logs?${query}`), { token })).body;

describe('simulator addresses', () => {
  it('drive statuses, events with their details, and counts', async () => {
    const ids = await send([
      sim('delivered'),
      sim('bounced+42'),
      sim('soft-bounced'),
      sim('rejected'),
      sim('complained'),
      sim('unsubscribed'),
      sim('opened'),
      sim('clicked+a'),
      'ann@gmail.com',
    ]);
    const entries = await Promise.all(ids.map(log));
    expect(
      entries.map((entry) => [
        entry.to.split('@')[0],
        entry.status,
        entry.events.map((e: any) => e.event_type),
      ]),
    ).toEqual([
      ['delivered', 'delivered', ['delivery']],
      ['bounced+42', 'not_delivered', ['bounce']],
      ['soft-bounced', 'not_delivered', ['soft_bounce']],
      ['rejected', 'not_delivered', ['reject']],
      ['complained', 'delivered', ['delivery', 'spam']],
      ['unsubscribed', 'delivered', ['delivery', 'unsubscribe']],
      ['opened', 'delivered', ['delivery', 'open']],
      ['clicked+a', 'delivered', ['delivery', 'open', 'click']],
      ['ann', 'delivered', ['delivery']],
    ]);
    expect(entries[1].events[0].details).toEqual({
      sending_ip: '127.0.0.1',
      recipient_mx: 'mx.simulator.mailtrap-kit.test',
      email_service_provider: 'Other',
      email_service_provider_status: '5.1.1',
      email_service_provider_response: '550 5.1.1 The email account that you tried to reach does not exist',
      bounce_category: 'invalid_recipient',
    });
    expect(entries[3].events[0].details).toEqual({ reject_reason: 'Rejected by the emulator' });
    expect(entries[4].events[1].details).toEqual({ spam_feedback_type: 'abuse' });
    expect(entries[7].events[2].details).toEqual({
      click_url: 'https://example.com/offer?id=1',
      web_ip_address: '127.0.0.1',
    });
    expect([entries[7].opens_count, entries[7].clicks_count, entries[0].opens_count]).toEqual([1, 1, 0]);
    expect(entries[8].events[0].details).toEqual({
      sending_ip: '127.0.0.1',
      recipient_mx: 'gmail-smtp-in.l.google.com',
      email_service_provider: 'Google',
    });
    expect(emulator.logs().map((entry) => entry.status)).toContain('not_delivered');
  });

  it('suppress hard bounces, complaints and unsubscribes, and a suppressed recipient is not delivered', async () => {
    await send([sim('bounced'), sim('complained'), sim('unsubscribed'), sim('soft-bounced')]);
    const listed = await http(api('/suppressions'), { token });
    expect(
      listed.body.map((record: any) => [
        record.email,
        record.type,
        record.sending_stream,
        record.domain_name,
      ]),
    ).toEqual([
      [sim('bounced'), 'hard bounce', 'transactional', 'example.com'],
      [sim('complained'), 'spam complaint', 'transactional', 'example.com'],
      [sim('unsubscribed'), 'unsubscription', 'transactional', 'example.com'],
    ]);
    expect(listed.body[0]).toMatchObject({
      message_bounce_category: 'invalid_recipient',
      message_category: 'welcome',
      message_sender_email: 'news@example.com',
      message_subject: 'Hello',
      message_recipient_mx_name: 'mx.simulator.mailtrap-kit.test',
    });
    const [again] = await send([sim('bounced')]);
    const entry = await log(again!);
    expect(entry.status).toBe('opted_out');
    expect(entry.events).toEqual([]);
    // the bulk stream is another stream: not suppressed there
    const bulk = await http(`${emulator.endpoints.bulk}/api/send`, {
      token,
      body: { from: { email: 'news@example.com' }, to: [{ email: sim('bounced') }], subject: 's', text: 't' },
    });
    expect((await log(bulk.body.message_ids[0])).events[0].event_type).toBe('bounce');
  });
});

describe('control calls add events to any message', () => {
  it('records opens and clicks with their fields, over HTTP and from code', async () => {
    const [id] = await send(['reader@example.org']);
    const added = await http(`${emulator.url}/_emulator/email_logs/${id}/events`, {
      body: { type: 'open', ip: '203.0.113.9', user_agent: 'Thunderbird' },
    });
    expect(added.status).toBe(201);
    emulator.addEvent(id!, { type: 'click', url: 'https://example.com/a' });
    emulator.addEvent(id!, { type: 'click', url: 'https://example.com/b' });
    const entry = await log(id!);
    expect(entry.events.map((event: any) => event.event_type)).toEqual([
      'delivery',
      'open',
      'click',
      'click',
    ]);
    expect(entry.events[1].details).toEqual({ web_ip_address: '203.0.113.9' });
    expect([entry.opens_count, entry.clicks_count]).toEqual([1, 2]);
    expect(
      (await http(`${emulator.url}/_emulator/email_logs/${id}/events`, { body: { type: 'teleport' } }))
        .status,
    ).toBe(400);
    expect(() => emulator.addEvent('00000000-0000-4000-8000-000000000000', { type: 'open' })).toThrow(
      /no Email Logs entry/,
    );
  });

  it('turns a later bounce into not_delivered with a suppression', async () => {
    const [id] = await send(['later@example.org']);
    emulator.addEvent(id!, { type: 'bounce', response: '550 no such user', bounce_category: 'bad_mailbox' });
    expect((await log(id!)).status).toBe('delivered');
    const listed = await http(api('/suppressions?email=LATER@example.org'), { token });
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0].message_esp_response).toBe('550 no such user');
  });
});

describe('Email Logs filters', () => {
  const filter = (field: string, operator: string, value?: string | string[]) => {
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    const parts = [`filters[${field}][operator]=${operator}`];
    if (Array.isArray(value))
      for (const item of values) parts.push(`filters[${field}][value][]=${encodeURIComponent(item)}`);
    else if (value !== undefined) parts.push(`filters[${field}][value]=${encodeURIComponent(value)}`);
    return parts.join('&');
  };

  it('filter by status, events, counts, provider, MX, sending IP and response; unknown filters are ignored', async () => {
    await send([sim('bounced'), sim('clicked'), 'a@gmail.com', 'b@yahoo.com']);
    const to = (body: any) => body.messages.map((entry: any) => entry.to).sort();
    expect(to(await logs(filter('status', 'equal', 'not_delivered')))).toEqual([sim('bounced')]);
    expect(to(await logs(filter('status', 'not_equal', ['not_delivered', 'opted_out'])))).toHaveLength(3);
    expect(to(await logs(filter('events', 'include_event', 'click')))).toEqual([sim('clicked')]);
    expect(to(await logs(filter('events', 'not_include_event', ['delivery'])))).toEqual([sim('bounced')]);
    expect(to(await logs(filter('clicks_count', 'greater_than', '0')))).toEqual([sim('clicked')]);
    expect(to(await logs(filter('opens_count', 'equal', '0')))).toHaveLength(3);
    expect(to(await logs(filter('email_service_provider', 'equal', ['Google', 'Yahoo'])))).toEqual([
      'a@gmail.com',
      'b@yahoo.com',
    ]);
    expect(to(await logs(filter('recipient_mx', 'ci_equal', 'GMAIL-SMTP-IN.L.GOOGLE.COM')))).toEqual([
      'a@gmail.com',
    ]);
    expect(to(await logs(filter('recipient_mx', 'ci_contain', 'yahoodns')))).toEqual(['b@yahoo.com']);
    expect((await logs(filter('sending_ip', 'equal', '127.0.0.1'))).total_count).toBe(4);
    expect((await logs(filter('sending_ip', 'contain', '10.'))).total_count).toBe(0);
    expect(to(await logs(filter('email_service_provider_response', 'ci_contain', 'does not exist')))).toEqual(
      [sim('bounced')],
    );
    expect(
      (await logs(`${filter('no_such_field', 'equal', 'x')}&${filter('category', 'equal', 'welcome')}`))
        .total_count,
    ).toBe(4);
  });
});

describe('stats', () => {
  it('are computed from Email Logs, in total and by domain, category, provider and date, with filters', async () => {
    await send([
      sim('delivered'),
      sim('bounced'),
      sim('opened'),
      sim('clicked'),
      sim('complained'),
      'x@gmail.com',
    ]);
    await http(`${emulator.endpoints.send}/api/send`, {
      token,
      body: {
        from: { email: 'a@mailtrap-kit.test' },
        to: [{ email: sim('opened') }],
        subject: 's',
        text: 't',
        category: 'reset',
      },
    });
    const today = new Date().toISOString().slice(0, 10);
    const range = `start_date=${today}&end_date=${today}`;
    const total = await http(api(`/stats?${range}`), { token });
    expect(total.body).toEqual({
      delivery_count: 6,
      delivery_rate: 0.86,
      bounce_count: 1,
      bounce_rate: 0.14,
      open_count: 3,
      open_rate: 0.5,
      click_count: 1,
      click_rate: 0.17,
      spam_count: 1,
      spam_rate: 0.17,
    });
    const byCategory = await http(api(`/stats/categories?${range}`), { token });
    expect(
      byCategory.body.map((row: any) => [row.category, row.stats.delivery_count, row.stats.bounce_count]),
    ).toEqual([
      ['welcome', 5, 1],
      ['reset', 1, 0],
    ]);
    const example = emulator.domains.get('example.com')!.id;
    const kit = emulator.domains.get('mailtrap-kit.test')!.id;
    const byDomain = await http(api(`/stats/domains?${range}`), { token });
    expect(byDomain.body.map((row: any) => [row.domain_id, row.stats.delivery_count])).toEqual([
      [example, 5],
      [kit, 1],
    ]);
    const byProvider = await http(api(`/stats/email_service_providers?${range}`), { token });
    expect(byProvider.body.map((row: any) => [row.email_service_provider, row.stats.delivery_count])).toEqual(
      [
        ['Other', 5],
        ['Google', 1],
      ],
    );
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const byDate = await http(api(`/stats/date?start_date=${yesterday}&end_date=${today}`), { token });
    expect(byDate.body.map((row: any) => [row.date, row.stats.delivery_count])).toEqual([
      [yesterday, 0],
      [today, 6],
    ]);
    const filtered = await http(
      api(`/stats?${range}&categories[]=reset&domain_ids[]=${kit}&sending_streams[]=transactional`),
      { token },
    );
    expect(filtered.body.delivery_count).toBe(1);
    expect(
      (await http(api(`/stats?${range}&email_service_providers[]=Google`), { token })).body.delivery_count,
    ).toBe(1);
    expect((await http(api(`/stats?${range}&sending_streams[]=bulk`), { token })).body.delivery_count).toBe(
      0,
    );
    expect((await http(api('/stats/categories'), { token })).body).toEqual({
      error: 'Missing required parameter: start_date',
    });
  });
});
