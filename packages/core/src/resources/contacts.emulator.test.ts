import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MailtrapClient,
  MailtrapContactImportError,
  MailtrapNotFoundError,
  MailtrapValidationError,
} from '../index';

// The contacts namespaces against the emulator's contacts API: stored records, the spec's
// validation answers. The emulator is loaded by name at run time (core keeps no dependency on it).
interface Emulator {
  endpoints: { send: string; bulk: string; sandbox: string; general: string };
  token: string;
  accountId: number;
  close(): Promise<void>;
}

const emulatorPackage = '@mailtrap-kit/emulator';
let emulator: Emulator;
let client: MailtrapClient;
let api: MailtrapClient;

beforeAll(async () => {
  const { startEmulator } = (await import(/* @vite-ignore */ emulatorPackage)) as {
    startEmulator(): Promise<Emulator>;
  };
  emulator = await startEmulator();
  client = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    accountId: emulator.accountId,
  });
  api = client;
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe('contacts against the emulator', () => {
  it('keeps lists and fields: create, list, get, update, delete', async () => {
    const list = await api.contactLists.create({ name: 'Customers' });
    expect(list).toMatchObject({ name: 'Customers' });
    expect((await api.contactLists.list()).map((item) => item.id)).toContain(list.id);
    expect(await api.contactLists.update(list.id!, { name: 'Former customers' })).toMatchObject({
      id: list.id,
      name: 'Former customers',
    });
    expect(await api.contactLists.get(list.id!)).toMatchObject({ name: 'Former customers' });
    await api.contactLists.delete(list.id!);
    await expect(api.contactLists.get(list.id!)).rejects.toBeInstanceOf(MailtrapNotFoundError);

    const field = await api.contactFields.create({ name: 'Plan', data_type: 'text', merge_tag: 'plan' });
    expect(field).toMatchObject({ name: 'Plan', data_type: 'text', merge_tag: 'plan' });
    expect(await api.contactFields.update(field.id!, { name: 'Pricing plan' })).toMatchObject({
      name: 'Pricing plan',
    });
    expect((await api.contactFields.list()).map((item) => item.merge_tag)).toContain('plan');
    await api.contactFields.delete(field.id!);
    await expect(api.contactFields.get(field.id!)).rejects.toBeInstanceOf(MailtrapNotFoundError);
  });

  it('creates a contact in a list, reads it by id and by email, updates, records an event, deletes', async () => {
    const list = await api.contactLists.create({ name: 'Newsletter' });
    await api.contactFields.create({ name: 'Seats', data_type: 'integer', merge_tag: 'seats' });
    const created = await api.contacts.create({
      email: 'ann+news@example.org',
      fields: { seats: 3 },
      list_ids: [list.id!],
    });
    const id = created.data!.id!;
    expect(created.data).toMatchObject({
      email: 'ann+news@example.org',
      list_ids: [list.id],
      fields: { seats: 3 },
    });
    expect((await api.contacts.get(id)).data?.email).toBe('ann+news@example.org');
    expect((await api.contacts.get('ann+news@example.org')).data?.id).toBe(id);

    const updated = await api.contacts.update('ann+news@example.org', {
      email: 'ann+news@example.org',
      fields: { seats: 5 },
      list_ids_excluded: [list.id!],
    });
    expect(updated.action).toBe('updated');
    expect(updated.data).toMatchObject({ fields: { seats: 5 }, list_ids: [] });

    const event = await api.contactEvents.create(id, {
      name: 'UserLogin',
      params: { plan: 'pro', seats: 5 },
    });
    expect(event).toMatchObject({ contact_id: id, name: 'UserLogin' });

    await api.contacts.delete(id);
    await expect(api.contacts.get(id)).rejects.toBeInstanceOf(MailtrapNotFoundError);
  });

  it('creates a contact on update when the email is new', async () => {
    const result = await api.contacts.update('new-one@example.org', { email: 'new-one@example.org' });
    expect(result.action).toBe('created');
  });

  it("refuses a value the field's data type does not take with the emulator's 422", async () => {
    await api.contactFields.create({ name: 'Score', data_type: 'integer', merge_tag: 'score' });
    const error = await api.contacts
      .create({ email: 'typed@example.org', fields: { score: 'high' } })
      .catch((caught) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).status).toBe(422);
  });

  it('imports contacts and reads the job; a refused contact comes back per email', async () => {
    const job = await api.contactImports.create({
      contacts: [{ email: 'import-a@example.org' }, { email: 'import-b@example.org' }],
    });
    expect(job.id).toBeGreaterThan(0);
    expect((await api.contactImports.get(job.id!)).id).toBe(job.id);

    const error = await api.contactImports
      .create({ contacts: [{ email: 'import-c@example.org', fields: { no_such_tag: 'x' } }] })
      .catch((caught) => caught);
    expect(MailtrapContactImportError.isInstance(error)).toBe(true);
    const { contacts } = error as MailtrapContactImportError;
    expect(contacts.map((contact) => contact.email)).toEqual(['import-c@example.org']);
    expect(Object.keys(contacts[0]!.errors)).toContain('fields');
  });

  it('exports contacts of a list and reads the job', async () => {
    const list = await api.contactLists.create({ name: 'Export me' });
    await api.contacts.create({ email: 'export@example.org', list_ids: [list.id!] });
    const job = await api.contactExports.create({
      filters: [{ name: 'list_id', operator: 'equal', value: [list.id!] }],
    });
    expect(['created', 'started', 'finished']).toContain(job.status);
    expect((await api.contactExports.get(job.id!)).id).toBe(job.id);
  });
});
