import { gunzipSync } from 'node:zlib';
import { validateResponse } from '@mailtrap-kit/openapi-testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './index';
import type { RunningEmulator } from './types';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ suppressions: [{ email: 'suppressed@example.org' }] });
});
afterAll(() => emulator.close());

async function api(path: string, method = 'GET', body?: unknown) {
  const response = await fetch(`${emulator.url}/api/accounts/${emulator.accountId}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${emulator.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe('contact lists and fields', () => {
  it('creates, lists, renames and deletes lists', async () => {
    const created = await api('/contacts/lists', 'POST', { name: 'Customers' });
    expect(created).toMatchObject({ status: 200, json: { name: 'Customers' } });
    const id = created.json.id;
    expect((await api('/contacts/lists')).json).toContainEqual({ id, name: 'Customers' });
    expect((await api(`/contacts/lists/${id}`, 'PATCH', { name: 'Former Customers' })).json.name).toBe(
      'Former Customers',
    );
    expect((await api('/contacts/lists', 'POST', { name: '' })).status).toBe(422);
    expect((await api(`/contacts/lists/${id}`, 'DELETE')).status).toBe(204);
    expect((await api(`/contacts/lists/${id}`)).status).toBe(404);
  });

  it('has First name and Last name to start with; fields are checked by name, merge tag and type', async () => {
    const fields = (await api('/contacts/fields')).json as Array<{ merge_tag: string }>;
    expect(fields.map((field) => field.merge_tag)).toEqual(
      expect.arrayContaining(['first_name', 'last_name']),
    );
    const created = await api('/contacts/fields', 'POST', {
      name: 'Cats',
      data_type: 'integer',
      merge_tag: 'cats',
    });
    expect(created).toMatchObject({
      status: 201,
      json: { name: 'Cats', data_type: 'integer', merge_tag: 'cats' },
    });
    const taken = await api('/contacts/fields', 'POST', {
      name: 'Cats',
      data_type: 'text',
      merge_tag: 'cats',
    });
    expect(taken).toMatchObject({
      status: 422,
      json: { errors: { name: ['has already been taken'], merge_tag: ['has already been taken'] } },
    });
    const long = await api('/contacts/fields', 'POST', {
      name: 'x'.repeat(81),
      data_type: 'nope',
      merge_tag: 'y',
    });
    expect(long.json.errors).toEqual({
      name: ['is too long (maximum is 80 characters)'],
      data_type: ['is not included in the list'],
    });
    const retype = await api(`/contacts/fields/${created.json.id}`, 'PATCH', { data_type: 'text' });
    expect(retype.json.errors).toEqual({ data_type: ["can't be changed"] });
    const renamed = await api(`/contacts/fields/${created.json.id}`, 'PATCH', {
      name: 'Cats count',
      merge_tag: 'cats_count',
    });
    expect(renamed.json).toMatchObject({ name: 'Cats count', merge_tag: 'cats_count' });
  });
});

describe('contacts', () => {
  it('creates a contact, gets it by id and by email, updates and deletes it', async () => {
    const list = (await api('/contacts/lists', 'POST', { name: 'Newsletter' })).json.id;
    const created = await api('/contacts', 'POST', {
      contact: { email: 'john.smith@example.com', fields: { first_name: 'John' }, list_ids: [list] },
    });
    expect(created.status).toBe(201);
    const data = created.json.data;
    expect(data).toMatchObject({
      email: 'john.smith@example.com',
      fields: { first_name: 'John' },
      list_ids: [list],
      status: 'subscribed',
    });
    expect(data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof data.created_at).toBe('number');
    expect((await api(`/contacts/${data.id}`)).json.data.email).toBe('john.smith@example.com');
    expect((await api(`/contacts/${encodeURIComponent('john.smith@example.com')}`)).json.data.id).toBe(
      data.id,
    );

    const updated = await api(`/contacts/${data.id}`, 'PATCH', {
      contact: {
        email: 'john.smith@example.com',
        fields: { last_name: 'Smith' },
        list_ids_excluded: [list],
        unsubscribed: true,
      },
    });
    expect(updated.json).toMatchObject({
      action: 'updated',
      data: { fields: { first_name: 'John', last_name: 'Smith' }, list_ids: [], status: 'unsubscribed' },
    });
    expect((await api(`/contacts/${data.id}`, 'DELETE')).status).toBe(204);
    expect(await api(`/contacts/${data.id}`, 'DELETE')).toMatchObject({
      status: 404,
      json: { errors: 'Contact(s) not found' },
    });
    expect(await api(`/contacts/${data.id}`)).toMatchObject({ status: 404, json: { error: 'Not Found' } });
  });

  it('creates the contact when an update names an address that has none', async () => {
    const upsert = await api(`/contacts/${encodeURIComponent('new@example.org')}`, 'PATCH', {
      contact: { email: 'new@example.org', fields: { first_name: 'New' } },
    });
    expect(upsert).toMatchObject({
      status: 200,
      json: { action: 'created', data: { email: 'new@example.org' } },
    });
  });

  it('answers 422 with the field errors of the spec', async () => {
    const invalid = await api('/contacts', 'POST', {
      contact: { email: 'not-an-address', fields: { first_name: 42, shoe_size: 9 }, list_ids: [999] },
    });
    expect(invalid).toMatchObject({
      status: 422,
      json: {
        errors: {
          email: ['is invalid'],
          first_name: ['is invalid'],
          fields: ['contains invalid values: shoe_size'],
          list_ids: ['contains invalid data'],
        },
      },
    });
    await api('/contacts', 'POST', { contact: { email: 'twice@example.org' } });
    const twice = await api('/contacts', 'POST', { contact: { email: 'twice@example.org' } });
    expect(twice.json.errors.email).toEqual(['has already been taken']);
    const list = (await api('/contacts/lists', 'POST', { name: 'Both' })).json.id;
    const both = await api(`/contacts/${encodeURIComponent('twice@example.org')}`, 'PATCH', {
      contact: { email: 'twice@example.org', list_ids_included: [list], list_ids_excluded: [list] },
    });
    expect(both.json.errors.base).toEqual([
      `same list_ids ${list} are specified both as included and excluded`,
    ]);
    expect((await api('/contacts', 'POST', {})).status).toBe(422);
  });

  it('shows a suppressed address as unsubscribed', async () => {
    const created = await api('/contacts', 'POST', { contact: { email: 'suppressed@example.org' } });
    expect(created.json.data.status).toBe('unsubscribed');
  });

  it('records custom events of a contact', async () => {
    await api('/contacts', 'POST', { contact: { email: 'events@example.org' } });
    const event = await api(`/contacts/${encodeURIComponent('events@example.org')}/events`, 'POST', {
      name: 'UserLogin',
      params: { user_id: 101, is_active: true, last_seen: null },
    });
    expect(event).toMatchObject({
      status: 201,
      json: { contact_email: 'events@example.org', name: 'UserLogin', params: { user_id: 101 } },
    });
    const bad = await api(`/contacts/${encodeURIComponent('events@example.org')}/events`, 'POST', {
      name: 'x'.repeat(256),
      params: { nested: { a: 1 } },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors).sort()).toEqual(['name', 'params']);
    expect((await api('/contacts/nobody%40example.org/events', 'POST', { name: 'x' })).status).toBe(404);
  });
});

describe('imports and exports', () => {
  it('imports contacts, creating new and updating existing ones', async () => {
    await api('/contacts', 'POST', { contact: { email: 'existing@example.org' } });
    const list = (await api('/contacts/lists', 'POST', { name: 'Imported' })).json.id;
    const started = await api('/contacts/imports', 'POST', {
      contacts: [
        { email: 'existing@example.org', fields: { first_name: 'Ex' }, list_ids_included: [list] },
        { email: 'fresh@example.org', fields: { last_name: 'Fresh' }, list_ids_included: [list] },
      ],
    });
    expect(started).toMatchObject({ status: 201, json: { status: 'started' } });
    const finished = await api(`/contacts/imports/${started.json.id}`);
    expect(finished.json).toEqual({
      id: started.json.id,
      status: 'finished',
      created_contacts_count: 1,
      updated_contacts_count: 1,
      contacts_over_limit_count: 0,
    });
    expect((await api('/contacts/existing%40example.org')).json.data).toMatchObject({
      fields: { first_name: 'Ex' },
      list_ids: [list],
    });
  });

  it('refuses an import with invalid contacts with a 422 per email, importing none', async () => {
    const refused = await api('/contacts/imports', 'POST', {
      contacts: [{ email: 'ok@example.org' }, { email: 'broken@', fields: { invalid_field: 1 } }],
    });
    expect(refused).toMatchObject({
      status: 422,
      json: {
        errors: [
          {
            email: 'broken@',
            errors: { email: ['is invalid'], fields: ['contains invalid values: invalid_field'] },
          },
        ],
      },
    });
    expect((await api('/contacts/ok%40example.org')).status).toBe(404);
    const tooMany = await api('/contacts/imports', 'POST', {
      contacts: Array.from({ length: 50_001 }, (_, index) => ({ email: `c${index}@example.org` })),
    });
    expect(tooMany.json.errors[0].errors.base).toEqual(['cannot import more than 50000 contacts at once']);
  });

  it('exports the contacts matching the filters as a gzipped CSV', async () => {
    const list = (await api('/contacts/lists', 'POST', { name: 'Exported' })).json.id;
    await api('/contacts', 'POST', {
      contact: { email: 'exp1@example.org', fields: { first_name: 'Ann' }, list_ids: [list] },
    });
    await api('/contacts', 'POST', { contact: { email: 'exp2@example.org', list_ids: [list] } });
    const created = await api('/contacts/exports', 'POST', {
      filters: [
        { name: 'list_id', operator: 'equal', value: [list] },
        { name: 'subscription_status', operator: 'equal', value: 'subscribed' },
      ],
    });
    expect(created).toMatchObject({ status: 201, json: { status: 'started', url: null } });
    const finished = (await api(`/contacts/exports/${created.json.id}`)).json;
    expect(finished.status).toBe('finished');
    const file = await fetch(finished.url);
    expect(file.status).toBe(200);
    const rows = parse(gunzipSync(Buffer.from(await file.arrayBuffer())), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((row) => row.email).sort()).toEqual(['exp1@example.org', 'exp2@example.org']);
    expect(rows.find((row) => row.email === 'exp1@example.org')).toMatchObject({
      status: 'subscribed',
      list_ids: String(list),
      first_name: 'Ann',
    });
    const invalid = await api('/contacts/exports', 'POST', {
      filters: [{ name: 'color', operator: 'equal', value: 1 }],
    });
    expect(invalid).toMatchObject({ status: 422, json: { errors: { filters: ['invalid'] } } });
  });
});

describe("the spec's response schemas", () => {
  it('every answer of the contacts API matches the schema of its operation and status', async () => {
    const list = await api('/contacts/lists', 'POST', { name: 'Schema list' });
    const field = await api('/contacts/fields', 'POST', {
      name: 'Schema field',
      data_type: 'date',
      merge_tag: 'schema_date',
    });
    const contact = await api('/contacts', 'POST', {
      contact: {
        email: 'schema@example.org',
        fields: { schema_date: '2026-01-31' },
        list_ids: [list.json.id],
      },
    });
    const email = encodeURIComponent('schema@example.org');
    const started = await api('/contacts/imports', 'POST', { contacts: [{ email: 'schema2@example.org' }] });
    const exported = await api('/contacts/exports', 'POST', { filters: [] });
    const checks: Array<[string, { status: number; json?: unknown }]> = [
      ['createContactList', list],
      ['contactLists', await api('/contacts/lists')],
      ['getContactList', await api(`/contacts/lists/${list.json.id}`)],
      ['updateContactList', await api(`/contacts/lists/${list.json.id}`, 'PATCH', { name: 'Schema list 2' })],
      ['createContactField', field],
      ['contactFields', await api('/contacts/fields')],
      ['getContactField', await api(`/contacts/fields/${field.json.id}`)],
      [
        'updateContactField',
        await api(`/contacts/fields/${field.json.id}`, 'PATCH', { name: 'Schema field 2' }),
      ],
      ['createContact', contact],
      ['createContact', await api('/contacts', 'POST', { contact: { email: 'nope' } })],
      ['getContact', await api(`/contacts/${email}`)],
      ['getContact', await api('/contacts/nobody%40example.org')],
      [
        'updateContact',
        await api(`/contacts/${email}`, 'PATCH', {
          contact: { email: 'schema@example.org', unsubscribed: true },
        }),
      ],
      [
        'createContactEvent',
        await api(`/contacts/${email}/events`, 'POST', { name: 'Signed up', params: { plan: 'pro' } }),
      ],
      ['importContacts', started],
      ['importContacts', await api('/contacts/imports', 'POST', { contacts: [{ email: 'bad' }] })],
      ['getContactImport', await api(`/contacts/imports/${started.json.id}`)],
      ['createContactExport', exported],
      ['getContactExport', await api(`/contacts/exports/${exported.json.id}`)],
      ['deleteContact', await api(`/contacts/${email}`, 'DELETE')],
      ['deleteContact', await api(`/contacts/${email}`, 'DELETE')],
      ['deleteContactField', await api(`/contacts/fields/${field.json.id}`, 'DELETE')],
      ['deleteContactList', await api(`/contacts/lists/${list.json.id}`, 'DELETE')],
    ];
    const problems = checks.flatMap(([operation, answer]) =>
      validateResponse(operation, answer.status, answer.json).map(
        (problem) => `${operation} ${answer.status}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
