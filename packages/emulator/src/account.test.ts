import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
const welcomeUuid = '6a1c3b2e-7f4d-4e3a-9c1b-2d5e8f0a1b2c';

beforeAll(async () => {
  emulator = await startEmulator({
    accountId: 77,
    templates: [
      {
        uuid: welcomeUuid,
        name: 'Welcome',
        category: 'onboarding',
        subject: 'Welcome, {{user.name}} & co',
        body_html:
          '<h1>Hi {{user.name}}</h1>{{#if items}}<ul>{{#each items}}<li>{{this}}</li>{{/each}}</ul>{{else}}<p>none</p>{{/if}}',
        body_text: 'Hi {{user.name}}',
      },
    ],
    suppressions: [{ email: 'gone@example.org', type: 'unsubscription' }],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

async function api(method: string, path: string, body?: unknown, token: string | null = emulator.token) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await request(`${emulator.endpoints.general}${path}`, {
    method: method as 'GET',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text ? (JSON.parse(text) as any) : undefined,
  };
}

async function send(body: unknown, path = '/transactional/api/send') {
  return api('POST', path, body);
}

describe('accounts and suppressions', () => {
  it('lists the account', async () => {
    const result = await api('GET', '/api/accounts');
    expect(result.status).toBe(200);
    expect(result.body).toEqual([{ id: 77, name: 'mailtrap-kit emulator', access_levels: [1000] }]);
  });

  it('answers 401 with the account API shape for a wrong token', async () => {
    const result = await api('GET', '/api/accounts', undefined, 'wrong');
    expect(result).toMatchObject({ status: 401, body: { error: 'Incorrect API token' } });
  });

  it('lists suppressions, filtered by email, in both path forms', async () => {
    const all = await api('GET', '/api/suppressions');
    expect(all.body).toHaveLength(1);
    expect(all.body[0]).toMatchObject({
      email: 'gone@example.org',
      type: 'unsubscription',
      sending_stream: 'any',
    });
    const filtered = await api('GET', '/api/accounts/77/suppressions?email=GONE@example.org');
    expect(filtered.body).toHaveLength(1);
    const none = await api('GET', '/api/suppressions?email=other@example.org');
    expect(none.body).toEqual([]);
  });

  it('forbids another account id', async () => {
    const result = await api('GET', '/api/accounts/5/email_templates');
    expect(result).toMatchObject({ status: 403, body: { errors: 'Account access forbidden' } });
  });

  it('answers 404 for unknown routes', async () => {
    expect((await api('GET', '/api/nothing')).status).toBe(404);
  });
});

describe('templates API', () => {
  it('creates, reads, updates, lists and deletes in both path forms', async () => {
    const created = await api('POST', '/api/email_templates', {
      email_template: {
        name: 'Reset',
        subject: 'Reset {{name}}',
        category: 'auth',
        body_text: 'Code {{code}}',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Reset',
      subject: 'Reset {{name}}',
      category: 'auth',
      body_html: null,
    });
    expect(created.body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.body.id;
    const read = await api('GET', `/api/accounts/77/email_templates/${id}`);
    expect(read.body).toEqual(created.body);
    const updated = await api('PATCH', `/api/accounts/77/email_templates/${id}`, {
      email_template: { subject: 'Reset now, {{name}}' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.subject).toBe('Reset now, {{name}}');
    expect(updated.body.name).toBe('Reset');
    const list = await api('GET', '/api/email_templates');
    expect(list.body.map((template: any) => template.name)).toEqual(['Welcome', 'Reset']);
    const deleted = await api('DELETE', `/api/email_templates/${id}`);
    expect(deleted.status).toBe(204);
    expect((await api('GET', `/api/email_templates/${id}`)).status).toBe(404);
  });

  it('answers 422 with field errors', async () => {
    const result = await api('POST', '/api/email_templates', {
      email_template: { name: '', subject: 'x'.repeat(256) },
    });
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual({
      name: ["can't be blank"],
      subject: ['is too long (maximum is 255 characters)'],
      category: ["can't be blank"],
    });
  });
});

describe('template sends', () => {
  it('renders the stored template with template_variables (Handlebars)', async () => {
    const result = await send({
      from: { email: 'app@example.com' },
      to: [{ email: 'user@example.org' }],
      template_uuid: welcomeUuid,
      template_variables: { user: { name: 'Ann <3' }, items: ['a', 'b'] },
    });
    expect(result.status).toBe(200);
    const [stored] = emulator.messages();
    expect(stored?.rendered).toEqual({
      subject: 'Welcome, Ann &lt;3 & co',
      html: '<h1>Hi Ann &lt;3</h1><ul><li>a</li><li>b</li></ul>',
      text: 'Hi Ann &lt;3',
    });
    expect(stored?.template_uuid).toBe(welcomeUuid);
    const [log] = emulator.logs();
    expect(log?.subject).toBe('Welcome, Ann &lt;3 & co');
    expect(log?.template_id).toBe(stored?.template_id);
    expect(log?.template_variables).toEqual({ user: { name: 'Ann <3' }, items: ['a', 'b'] });
  });

  it('renders per batch item with the base template', async () => {
    const result = await send(
      {
        base: { from: { email: 'app@example.com' }, template_uuid: welcomeUuid },
        requests: [
          { to: [{ email: 'a@example.org' }], template_variables: { user: { name: 'A' } } },
          { to: [{ email: 'b@example.org' }], template_variables: { user: { name: 'B' }, items: [] } },
        ],
      },
      '/bulk/api/batch',
    );
    expect(result.status).toBe(200);
    expect(emulator.messages().map((message) => message.rendered?.html)).toEqual([
      '<h1>Hi A</h1><p>none</p>',
      '<h1>Hi B</h1><p>none</p>',
    ]);
  });

  it('refuses an unknown template uuid', async () => {
    const result = await send({
      from: { email: 'app@example.com' },
      to: [{ email: 'user@example.org' }],
      template_uuid: '00000000-0000-4000-8000-000000000000',
    });
    expect(result.status).toBe(400);
    expect(result.body.errors[0]).toContain('does not match any template');
  });

  it('renders templates created over the API and seeded from code', async () => {
    const created = emulator.addTemplate({
      name: 'Code',
      subject: 'Your code {{code}}',
      category: 'auth',
      body_text: '{{code}}',
    });
    const result = await send({
      from: { email: 'app@example.com' },
      to: [{ email: 'user@example.org' }],
      template_uuid: created.uuid,
      template_variables: { code: 123456 },
    });
    expect(result.status).toBe(200);
    expect(emulator.messages()[0]?.rendered).toEqual({ subject: 'Your code 123456', text: '123456' });
  });
});

describe('email logs', () => {
  async function seed() {
    await send({
      from: { email: 'billing@example.com' },
      to: [{ email: 'Ann@Example.org' }],
      subject: 'Invoice 1',
      text: 'x',
      category: 'invoice',
      custom_variables: { run: 'r1', tag: 'r1-0-0' },
    });
    await send(
      {
        base: { from: { email: 'news@example.com' }, subject: 'Newsletter', text: 'x', category: 'news' },
        requests: [0, 1, 2].map((index) => ({
          to: [{ email: `reader${index}@example.org` }],
          custom_variables: { run: 'r2', tag: `r2-0-${index}` },
        })),
      },
      '/bulk/api/batch',
    );
  }

  it('lists one entry per message id, newest first', async () => {
    await seed();
    const result = await api('GET', '/api/email_logs');
    expect(result.status).toBe(200);
    expect(result.body.total_count).toBe(4);
    expect(result.body.next_page_cursor).toBeNull();
    expect(result.body.messages.map((entry: any) => entry.to)).toEqual([
      'reader2@example.org',
      'reader1@example.org',
      'reader0@example.org',
      'Ann@Example.org',
    ]);
    expect(result.body.messages[3]).toMatchObject({
      status: 'delivered',
      subject: 'Invoice 1',
      from: 'billing@example.com',
      category: 'invoice',
      sending_stream: 'transactional',
      custom_variables: { run: 'r1', tag: 'r1-0-0' },
      template_id: null,
    });
  });

  it('filters with ci_equal, equal, contain and dates', async () => {
    await seed();
    const byTo = await api(
      'GET',
      '/api/email_logs?filters[to][operator]=ci_equal&filters[to][value]=ann@example.org',
    );
    expect(byTo.body.messages.map((entry: any) => entry.subject)).toEqual(['Invoice 1']);
    const byStream = await api(
      'GET',
      '/api/email_logs?filters[sending_stream][operator]=equal&filters[sending_stream][value]=bulk',
    );
    expect(byStream.body.total_count).toBe(3);
    const bySubject = await api(
      'GET',
      '/api/email_logs?filters[subject][operator]=ci_contain&filters[subject][value]=NEWS',
    );
    expect(bySubject.body.total_count).toBe(3);
    const byCategories = await api(
      'GET',
      '/api/accounts/77/email_logs?filters[category][operator]=equal&filters[category][value][]=invoice&filters[category][value][]=none',
    );
    expect(byCategories.body.total_count).toBe(1);
    const notFrom = await api(
      'GET',
      '/api/email_logs?filters[from][operator]=ci_not_equal&filters[from][value]=news@example.com',
    );
    expect(notFrom.body.total_count).toBe(1);
    const future = await api(
      'GET',
      `/api/email_logs?filters[sent_after]=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(future.body.total_count).toBe(0);
    const past = await api(
      'GET',
      '/api/email_logs?filters[sent_after]=2020-01-01T00:00:00Z&filters[sent_before]=2999-01-01T00:00:00Z',
    );
    expect(past.body.total_count).toBe(4);
    const unknown = await api(
      'GET',
      '/api/email_logs?filters[nonsense][operator]=equal&filters[nonsense][value]=1',
    );
    expect(unknown.body.total_count).toBe(4);
  });

  it('looks messages up by custom variables (one or many values)', async () => {
    await seed();
    const one = await api(
      'GET',
      '/api/email_logs?filters[custom_variables.tag][operator]=equal&filters[custom_variables.tag][value]=r2-0-1',
    );
    expect(one.body.messages.map((entry: any) => entry.to)).toEqual(['reader1@example.org']);
    const many = await api(
      'GET',
      '/api/email_logs?filters[custom_variables.tag][operator]=equal&filters[custom_variables.tag][value][]=r2-0-0&filters[custom_variables.tag][value][]=r1-0-0&filters[custom_variables.tag][value][]=missing',
    );
    expect(many.body.messages.map((entry: any) => entry.custom_variables.tag)).toEqual(['r2-0-0', 'r1-0-0']);
    const contain = await api(
      'GET',
      '/api/email_logs?filters[custom_variables.run][operator]=contain&filters[custom_variables.run][value]=r2',
    );
    expect(contain.body.total_count).toBe(3);
    const shorthand = await api('GET', '/api/email_logs?filters[custom_variables][run]=r1');
    expect(shorthand.body.total_count).toBe(1);
  });

  it('answers the reconciliation query: recipients (ci_equal list) within one run', async () => {
    await seed();
    const result = await api(
      'GET',
      '/api/email_logs?filters[to][operator]=ci_equal&filters[to][value][]=READER0@example.org&filters[to][value][]=reader2@example.org&filters[to][value][]=ann@example.org' +
        '&filters[custom_variables.run][operator]=equal&filters[custom_variables.run][value]=r2',
    );
    expect(result.body.messages.map((entry: any) => entry.custom_variables.tag)).toEqual([
      'r2-0-2',
      'r2-0-0',
    ]);
  });

  it('keeps the custom variable index right while old entries leave', async () => {
    const bounded = await startEmulator({ retainLogs: 150 });
    try {
      const headers = { authorization: `Bearer ${bounded.token}`, 'content-type': 'application/json' };
      for (let batch = 0; batch < 4; batch++) {
        const response = await request(`${bounded.endpoints.bulk}/api/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            base: { from: { email: 'a@example.com' }, subject: 's', text: 't' },
            requests: Array.from({ length: 100 }, (_, index) => ({
              to: [{ email: `u${batch}-${index}@example.org` }],
              custom_variables: { run: 'same', tag: `${batch}-${index}` },
            })),
          }),
        });
        await response.body.dump();
      }
      const query = async (filter: string) => {
        const response = await request(`${bounded.url}/api/email_logs?${filter}`, { headers });
        return (await response.body.json()) as any;
      };
      const run = await query(
        'filters[custom_variables.run][operator]=equal&filters[custom_variables.run][value]=same',
      );
      expect(run.total_count).toBe(150);
      expect(run.messages[0].custom_variables.tag).toBe('3-99');
      const kept = await query(
        'filters[custom_variables.tag][operator]=equal&filters[custom_variables.tag][value]=2-50',
      );
      expect(kept.total_count).toBe(1);
      const gone = await query(
        'filters[custom_variables.tag][operator]=equal&filters[custom_variables.tag][value]=2-49',
      );
      expect(gone.total_count).toBe(0);
    } finally {
      await bounded.close();
    }
  });

  it('pages with search_after and next_page_cursor', async () => {
    const small = await startEmulator({ emailLogsPageSize: 2 });
    try {
      const headers = { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' };
      const sent = await request(`${small.endpoints.send}/api/send`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          from: { email: 'a@example.com' },
          to: ['1', '2', '3', '4', '5'].map((name) => ({ email: `${name}@example.org` })),
          subject: 's',
          text: 't',
        }),
      });
      const { message_ids } = (await sent.body.json()) as { message_ids: string[] };
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?search_after=${cursor}` : '';
        const page = await request(`${small.url}/api/email_logs${query}`, { headers });
        const body = (await page.body.json()) as any;
        expect(body.total_count).toBe(5);
        seen.push(...body.messages.map((entry: any) => entry.message_id));
        cursor = body.next_page_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([...message_ids].reverse());
    } finally {
      await small.close();
    }
  });

  it('gets one entry with its events', async () => {
    await seed();
    const [entry] = emulator.logs();
    const result = await api('GET', `/api/email_logs/${entry?.message_id}`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ message_id: entry?.message_id, subject: 'Invoice 1' });
    expect(result.body.events[0].event_type).toBe('delivery');
    const raw = await request(result.body.raw_message_url);
    expect(((await raw.body.json()) as any).subject).toBe('Invoice 1');
    expect((await api('GET', '/api/email_logs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('keeps memory bounded: old entries and bodies are dropped, counters stay', async () => {
    const bounded = await startEmulator({ retainBodies: 2, retainLogs: 3 });
    try {
      for (let index = 0; index < 5; index++) {
        const response = await request(`${bounded.endpoints.send}/api/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bounded.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            from: { email: 'a@example.com' },
            to: [{ email: `u${index}@example.org` }],
            subject: `s${index}`,
            text: 't',
            custom_variables: { tag: `t${index}` },
          }),
        });
        await response.body.dump();
      }
      expect(bounded.messages().map((message) => message.subject)).toEqual(['s3', 's4']);
      expect(bounded.logs().map((entry) => entry.subject)).toEqual(['s2', 's3', 's4']);
      expect(bounded.stats()).toMatchObject({ messages: 5, recipients: 5, accepted: 5 });
      const dropped = await request(
        `${bounded.url}/api/email_logs?filters[custom_variables.tag][operator]=equal&filters[custom_variables.tag][value]=t0`,
        { headers: { authorization: `Bearer ${bounded.token}` } },
      );
      expect(((await dropped.body.json()) as any).total_count).toBe(0);
    } finally {
      await bounded.close();
    }
  });
});
