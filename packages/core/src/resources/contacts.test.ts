import { type SpecServer, startSpecServer } from '@mailtrap-kit/openapi-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_RATE_LIMITS,
  MailtrapClient,
  MailtrapContactImportError,
  MailtrapTimeoutError,
  MailtrapValidationError,
} from '../index';
import { describeRefusals, describeWire } from './test-harness';

const uuid = '018dd5e3-f6d2-7c00-8f9b-e5c3f2d8a132';
const contact = {
  data: {
    id: uuid,
    email: 'john.smith@example.com',
    fields: { first_name: 'John', age: 42, vip: true },
    list_ids: [1, 2],
    status: 'subscribed',
    created_at: 1742820600230,
    updated_at: 1742820600230,
  },
};
const list = { id: 1, name: 'Customers' };
const field = { id: 7, name: 'Company', data_type: 'text', merge_tag: 'company' };
const contactImport = { id: 3, status: 'created' };
const contactExport = {
  id: 9,
  status: 'finished',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  url: 'https://example.com/export.csv',
};

describeWire('contacts on the wire', [
  {
    name: 'contacts.create',
    call: (client) =>
      client.contacts.create({
        email: 'john.smith@example.com',
        fields: { first_name: 'John', age: 42 },
        list_ids: [1, 2],
      }),
    method: 'POST',
    path: '/api/contacts',
    body: {
      contact: { email: 'john.smith@example.com', fields: { first_name: 'John', age: 42 }, list_ids: [1, 2] },
    },
    status: 201,
    answer: contact,
  },
  {
    name: 'contacts.get by id',
    call: (client) => client.contacts.get(uuid),
    method: 'GET',
    path: `/api/contacts/${uuid}`,
    answer: contact,
  },
  {
    name: 'contacts.get by email (URL-encoded)',
    call: (client) => client.contacts.get('john+tag@example.com'),
    method: 'GET',
    path: '/api/contacts/john%2Btag%40example.com',
    answer: contact,
  },
  {
    name: 'contacts.update',
    call: (client) =>
      client.contacts.update(uuid, {
        email: 'new@example.com',
        list_ids_included: [3],
        list_ids_excluded: [1],
        unsubscribed: false,
      }),
    method: 'PATCH',
    path: `/api/contacts/${uuid}`,
    body: {
      contact: {
        email: 'new@example.com',
        list_ids_included: [3],
        list_ids_excluded: [1],
        unsubscribed: false,
      },
    },
    answer: { action: 'updated', ...contact },
  },
  {
    name: 'contacts.delete',
    call: (client) => client.contacts.delete('john.smith@example.com'),
    method: 'DELETE',
    path: '/api/contacts/john.smith%40example.com',
    status: 204,
  },
  {
    name: 'contactEvents.create',
    call: (client) =>
      client.contactEvents.create(uuid, {
        name: 'UserLogin',
        params: { user_id: 101, is_active: true, plan: null },
      }),
    method: 'POST',
    path: `/api/contacts/${uuid}/events`,
    body: { name: 'UserLogin', params: { user_id: 101, is_active: true, plan: null } },
    status: 201,
    answer: {
      contact_id: uuid,
      contact_email: 'john.smith@example.com',
      name: 'UserLogin',
      params: { user_id: 101 },
    },
  },
  {
    name: 'contactLists.list',
    call: (client) => client.contactLists.list(),
    method: 'GET',
    path: '/api/contacts/lists',
    answer: [list],
  },
  {
    name: 'contactLists.create',
    call: (client) => client.contactLists.create({ name: 'Customers' }),
    method: 'POST',
    path: '/api/contacts/lists',
    body: { name: 'Customers' },
    answer: list,
  },
  {
    name: 'contactLists.get',
    call: (client) => client.contactLists.get(1),
    method: 'GET',
    path: '/api/contacts/lists/1',
    answer: list,
  },
  {
    name: 'contactLists.update',
    call: (client) => client.contactLists.update(1, { name: 'Former customers' }),
    method: 'PATCH',
    path: '/api/contacts/lists/1',
    body: { name: 'Former customers' },
    answer: { id: 1, name: 'Former customers' },
  },
  {
    name: 'contactLists.delete',
    call: (client) => client.contactLists.delete(1),
    method: 'DELETE',
    path: '/api/contacts/lists/1',
    status: 204,
  },
  {
    name: 'contactFields.list',
    call: (client) => client.contactFields.list(),
    method: 'GET',
    path: '/api/contacts/fields',
    answer: [field],
  },
  {
    name: 'contactFields.create',
    call: (client) =>
      client.contactFields.create({ name: 'Company', data_type: 'text', merge_tag: 'company' }),
    method: 'POST',
    path: '/api/contacts/fields',
    body: { name: 'Company', data_type: 'text', merge_tag: 'company' },
    status: 201,
    answer: field,
  },
  {
    name: 'contactFields.get',
    call: (client) => client.contactFields.get(7),
    method: 'GET',
    path: '/api/contacts/fields/7',
    answer: field,
  },
  {
    name: 'contactFields.update',
    call: (client) => client.contactFields.update(7, { merge_tag: 'company_name' }),
    method: 'PATCH',
    path: '/api/contacts/fields/7',
    body: { merge_tag: 'company_name' },
    answer: { ...field, merge_tag: 'company_name' },
  },
  {
    name: 'contactFields.delete',
    call: (client) => client.contactFields.delete(7),
    method: 'DELETE',
    path: '/api/contacts/fields/7',
    status: 204,
  },
  {
    name: 'contactImports.create',
    call: (client) =>
      client.contactImports.create({
        contacts: [
          { email: 'a@example.com', fields: { first_name: 'A' }, list_ids_included: [1] },
          { email: 'b@example.com', list_ids_excluded: [2] },
        ],
      }),
    method: 'POST',
    path: '/api/contacts/imports',
    body: {
      contacts: [
        { email: 'a@example.com', fields: { first_name: 'A' }, list_ids_included: [1] },
        { email: 'b@example.com', list_ids_excluded: [2] },
      ],
    },
    status: 201,
    answer: contactImport,
  },
  {
    name: 'contactImports.get',
    call: (client) => client.contactImports.get(3),
    method: 'GET',
    path: '/api/contacts/imports/3',
    answer: {
      id: 3,
      status: 'finished',
      created_contacts_count: 1,
      updated_contacts_count: 1,
      contacts_over_limit_count: 0,
    },
  },
  {
    name: 'contactExports.create',
    call: (client) =>
      client.contactExports.create({
        filters: [
          { name: 'list_id', operator: 'equal', value: [1, 2] },
          { name: 'subscription_status', operator: 'equal', value: 'subscribed' },
        ],
      }),
    method: 'POST',
    path: '/api/contacts/exports',
    body: {
      filters: [
        { name: 'list_id', operator: 'equal', value: [1, 2] },
        { name: 'subscription_status', operator: 'equal', value: 'subscribed' },
      ],
    },
    status: 201,
    answer: { ...contactExport, status: 'created', url: null },
  },
  {
    name: 'contactExports.create without filters',
    call: (client) => client.contactExports.create(),
    method: 'POST',
    path: '/api/contacts/exports',
    body: {},
    status: 201,
    answer: { ...contactExport, status: 'created', url: null },
  },
  {
    name: 'contactExports.get',
    call: (client) => client.contactExports.get(9),
    method: 'GET',
    path: '/api/contacts/exports/9',
    answer: contactExport,
  },
]);

const tooLong = (length: number) => 'x'.repeat(length);

describeRefusals('contacts input checks', [
  {
    name: 'contacts.create',
    call: (c) => c.contacts.create({} as never),
    field: 'contact.email',
    message: /non-empty string/,
  },
  {
    name: 'contacts.create',
    call: (c) => c.contacts.create({ email: 'not-an-address' }),
    field: 'contact.email',
  },
  {
    name: 'contacts.create',
    call: (c) => c.contacts.create({ email: 'a@example.com', listIds: [1] } as never),
    field: 'contact.listIds',
    message: /not a known field/,
  },
  {
    name: 'contacts.create',
    call: (c) => c.contacts.create({ email: 'a@example.com', fields: { nested: { a: 1 } as never } }),
    field: 'contact.fields.nested',
  },
  {
    name: 'contacts.create',
    call: (c) => c.contacts.create({ email: 'a@example.com', list_ids: [0] }),
    field: 'contact.list_ids[0]',
  },
  { name: 'contacts.get', call: (c) => c.contacts.get(''), field: 'identifier' },
  {
    name: 'contacts.update',
    call: (c) => c.contacts.update(uuid, { fields: {} } as never),
    field: 'contact.email',
  },
  {
    name: 'contacts.update',
    call: (c) => c.contacts.update(uuid, { email: 'a@example.com', unsubscribed: 'yes' as never }),
    field: 'contact.unsubscribed',
  },
  {
    name: 'contacts.update',
    call: (c) => c.contacts.update(uuid, { email: 'a@example.com', list_ids: [1] } as never),
    field: 'contact.list_ids',
  },
  {
    name: 'contactEvents.create',
    call: (c) => c.contactEvents.create(uuid, { name: tooLong(256) }),
    field: 'event.name',
    message: /at most 255/,
  },
  {
    name: 'contactEvents.create',
    call: (c) => c.contactEvents.create(uuid, {} as never),
    field: 'event.name',
  },
  {
    name: 'contactEvents.create',
    call: (c) => c.contactEvents.create(uuid, { name: 'Login', params: { tags: ['a'] as never } }),
    field: 'event.params.tags',
  },
  {
    name: 'contactEvents.create',
    call: (c) => c.contactEvents.create('', { name: 'Login' }),
    field: 'identifier',
  },
  {
    name: 'contactLists.create',
    call: (c) => c.contactLists.create({ name: tooLong(256) }),
    field: 'list.name',
    message: /at most 255/,
  },
  { name: 'contactLists.create', call: (c) => c.contactLists.create({} as never), field: 'list.name' },
  { name: 'contactLists.get', call: (c) => c.contactLists.get(-1), field: 'id', message: /positive integer/ },
  { name: 'contactLists.update', call: (c) => c.contactLists.update(1.5, { name: 'A' }), field: 'id' },
  {
    name: 'contactFields.create',
    call: (c) => c.contactFields.create({ name: tooLong(81), data_type: 'text' }),
    field: 'field.name',
  },
  {
    name: 'contactFields.create',
    call: (c) => c.contactFields.create({ name: 'Age', data_type: 'number' as never }),
    field: 'field.data_type',
    message: /"text", "integer", "float", "boolean", "date"/,
  },
  {
    name: 'contactFields.create',
    call: (c) => c.contactFields.create({ name: 'Age' } as never),
    field: 'field.data_type',
  },
  {
    name: 'contactFields.create',
    call: (c) => c.contactFields.create({ name: 'Age', data_type: 'integer', merge_tag: tooLong(81) }),
    field: 'field.merge_tag',
  },
  {
    name: 'contactFields.update',
    call: (c) => c.contactFields.update(7, { data_type: 'date' } as never),
    field: 'field.data_type',
    message: /cannot be changed/,
  },
  {
    name: 'contactFields.update',
    call: (c) => c.contactFields.update(7, {}),
    field: 'field',
    message: /no field/,
  },
  {
    name: 'contactImports.create',
    call: (c) => c.contactImports.create({ contacts: [] }),
    field: 'input.contacts',
  },
  {
    name: 'contactImports.create',
    call: (c) =>
      c.contactImports.create({
        contacts: Array.from({ length: 50_001 }, (_, i) => ({ email: `u${i}@example.com` })),
      }),
    field: 'input.contacts',
    message: /at most 50000/,
  },
  {
    name: 'contactImports.create',
    call: (c) => c.contactImports.create({ contacts: [{ email: 'a@example.com' }, { email: 'b' }] }),
    field: 'input.contacts[1].email',
  },
  {
    name: 'contactImports.create',
    call: (c) => c.contactImports.create({ contacts: [{ email: 'a@example.com', list_ids: [1] } as never] }),
    field: 'input.contacts[0].list_ids',
  },
  { name: 'contactImports.get', call: (c) => c.contactImports.get('x' as never), field: 'id' },
  {
    name: 'contactExports.create',
    call: (c) =>
      c.contactExports.create({ filters: [{ name: 'email', operator: 'equal', value: 'a' } as never] }),
    field: 'input.filters[0].name',
  },
  {
    name: 'contactExports.create',
    call: (c) =>
      c.contactExports.create({ filters: [{ name: 'list_id', operator: 'in', value: [1] } as never] }),
    field: 'input.filters[0].operator',
  },
  {
    name: 'contactExports.create',
    call: (c) =>
      c.contactExports.create({
        filters: [{ name: 'subscription_status', operator: 'equal', value: 'bounced' } as never],
      }),
    field: 'input.filters[0].value',
  },
  {
    name: 'contactExports.create',
    call: (c) => c.contactExports.create({ filters: [{ name: 'list_id', operator: 'equal' } as never] }),
    field: 'input.filters[0].value',
  },
  { name: 'contactExports.get', call: (c) => c.contactExports.get(0), field: 'id' },
]);

describe('contact import errors', () => {
  let spec: SpecServer;
  let client: MailtrapClient;
  beforeAll(async () => {
    spec = await startSpecServer();
    client = new MailtrapClient({
      token: 'import-token-0123456789',
      endpoints: spec.endpoints,
      retry: false,
      rateLimit: false,
    });
  });
  afterAll(async () => {
    await client.close();
    await spec.close();
  });

  it('keeps the per-email 422 shape of the vendor spec in a MailtrapContactImportError', async () => {
    spec.answerNext('importContacts', 422);
    const error = await client.contactImports
      .create({ contacts: [{ email: 'test@example.com' }] })
      .catch((caught: unknown) => caught);
    expect(MailtrapContactImportError.isInstance(error)).toBe(true);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    const importError = error as MailtrapContactImportError;
    expect(importError.status).toBe(422);
    expect(importError.contacts).toEqual([
      {
        email: 'test@example.com',
        errors: {
          base: ['contacts limit reached', 'cannot import more than 50000 contacts at once'],
          email: ['is invalid', 'top level domain is too short'],
          fields: ['contains invalid values: invalid_field'],
          field_merge_tag: ['is invalid'],
        },
      },
    ]);
    expect(importError.errors).toContain('test@example.com: email: is invalid');
    expect(importError.errors).toContain('test@example.com: contacts limit reached');
    expect(importError.toJSON().contacts).toEqual(importError.contacts);
  });

  it('keeps a field-keyed 422 of another contacts operation a plain MailtrapValidationError', async () => {
    spec.answerNext('createContact', 422);
    const error = await client.contacts
      .create({ email: 'john.smith@example.com' })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect(MailtrapContactImportError.isInstance(error)).toBe(false);
    expect((error as MailtrapValidationError).errors).toEqual(['email: Email is invalid']);
  });
});

describe('the per-account contacts pool', () => {
  let server: SpecServer;
  beforeAll(async () => {
    server = await startSpecServer();
  });
  afterAll(() => server.close());

  it('every contacts namespace draws on it (200/min by default), other areas do not', async () => {
    expect(ACCOUNT_RATE_LIMITS.contacts).toEqual({ requests: 200, windowMs: 60_000 });
    const limited = new MailtrapClient({
      token: 'pool-token-0123456789',
      endpoints: server.endpoints,
      retry: false,
      rateLimit: false,
      accountRateLimits: { contacts: { requests: 6, windowMs: 60_000 } },
      totalTimeoutMs: 20_000,
    });
    try {
      await limited.contactLists.list();
      await limited.contactFields.list();
      await limited.contacts.get('john.smith@example.com');
      await limited.contactImports.get(1);
      await limited.contactExports.get(1);
      await limited.contactEvents.create('john.smith@example.com', { name: 'Login' });
      const error = await limited.contactLists.get(1).catch((caught: unknown) => caught);
      expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
      expect((error as MailtrapTimeoutError).maybeSent).toBe(false);
      expect(server.calls).toHaveLength(6);
      await limited.projects.list();
      expect(server.calls).toHaveLength(7);
    } finally {
      await limited.close();
    }
  });
});
