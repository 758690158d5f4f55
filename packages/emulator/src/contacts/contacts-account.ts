/**
 * The contacts of the emulated account (contacts.openapi.yml): contacts with their field values
 * and lists, contact lists, contact fields, custom events, imports and exports. Every write is
 * checked first (contact-rules.ts) and answers the API's 422 shape; nothing is half applied.
 */
import { randomBytes } from 'node:crypto';
import {
  add,
  CONTACT_LIMITS,
  type ContactField,
  checkEmail,
  checkEvent,
  checkField,
  checkFieldValues,
  checkIncludedExcluded,
  checkListIds,
  type DataType,
  isEmpty,
  type Problems,
} from './contact-rules';
import { exportFile } from './contact-export';

export interface ContactList {
  id: number;
  name: string;
}

export interface Contact {
  id: string;
  email: string;
  fields: Record<string, unknown>;
  listIds: Set<number>;
  unsubscribed: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ContactEvent {
  contact_id: string;
  contact_email: string;
  name: string;
  params: Record<string, string | number | boolean | null>;
}

export interface ContactImport {
  id: number;
  status: 'created' | 'started' | 'finished' | 'failed';
  created_contacts_count: number;
  updated_contacts_count: number;
  contacts_over_limit_count: number;
}

export interface ContactExport {
  id: number;
  status: 'created' | 'started' | 'finished';
  created_at: string;
  updated_at: string;
  /** The gzipped CSV of the contacts that matched. */
  file: Buffer;
  count: number;
}

export interface ContactsSettings {
  /** Fields the account starts with; default First name and Last name (text). */
  fields?: Array<{ name: string; data_type: DataType; merge_tag: string }>;
  /** Whether an address is on the suppression list (its contact is then `unsubscribed`). */
  isSuppressed: (email: string) => boolean;
}

/** A contact write: `{ email, fields?, list_ids? }` on create, included/excluded lists on update. */
export interface ContactWrite {
  email?: unknown;
  fields?: unknown;
  list_ids?: unknown;
  list_ids_included?: unknown;
  list_ids_excluded?: unknown;
  unsubscribed?: unknown;
}

export type Outcome<T> = { ok: T } | { problems: Problems };

const DEFAULT_FIELDS: ContactsSettings['fields'] = [
  { name: 'First name', data_type: 'text', merge_tag: 'first_name' },
  { name: 'Last name', data_type: 'text', merge_tag: 'last_name' },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A time-ordered UUID (version 7), the form of the API's contact ids. */
function uuidV7(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = randomBytes(10).toString('hex');
  const variant = (8 | (Number.parseInt(random[3]!, 16) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-${random.slice(7, 19)}`;
}

export class ContactsAccount {
  private readonly contactsById = new Map<string, Contact>();
  private readonly contactsByEmail = new Map<string, Contact>();
  private readonly lists = new Map<number, ContactList>();
  private readonly fields = new Map<number, ContactField>();
  private readonly imports = new Map<number, ContactImport>();
  private readonly exports = new Map<number, ContactExport>();
  private readonly eventLog: ContactEvent[] = [];
  private nextListId = 1;
  private nextFieldId = 1;
  private nextImportId = 1;
  private nextExportId = 1;

  constructor(private readonly settings: ContactsSettings) {
    for (const field of settings.fields ?? DEFAULT_FIELDS ?? [])
      this.fields.set(this.nextFieldId, { id: this.nextFieldId++, ...field });
  }

  // ---- the API's shapes

  json(contact: Contact) {
    const unsubscribed = contact.unsubscribed || this.settings.isSuppressed(contact.email);
    return {
      id: contact.id,
      email: contact.email,
      fields: { ...contact.fields },
      list_ids: [...contact.listIds].sort((a, b) => a - b),
      status: unsubscribed ? ('unsubscribed' as const) : ('subscribed' as const),
      created_at: contact.createdAt,
      updated_at: contact.updatedAt,
    };
  }

  // ---- contacts

  /** A contact by its id or its email address. */
  contact(identifier: string): Contact | undefined {
    return UUID.test(identifier)
      ? this.contactsById.get(identifier.toLowerCase())
      : this.contactsByEmail.get(identifier.toLowerCase());
  }

  allContacts(): Contact[] {
    return [...this.contactsById.values()];
  }

  private fieldsByTag(): Map<string, ContactField> {
    return new Map([...this.fields.values()].map((field) => [field.merge_tag, field]));
  }

  private listExists = (id: number) => this.lists.has(id);

  /**
   * Checks a contact write; `existing` is the contact it changes (another contact's address is
   * taken). `create` takes `list_ids`; `update` and `import` take included and excluded lists.
   */
  private check(input: ContactWrite, mode: 'create' | 'update' | 'import', existing?: Contact): Problems {
    const problems: Problems = {};
    if (checkEmail(input.email, problems)) {
      const owner = this.contactsByEmail.get((input.email as string).toLowerCase());
      if (owner && owner !== existing) add(problems, 'email', 'has already been taken');
    }
    checkFieldValues(input.fields, this.fieldsByTag(), problems);
    if (mode === 'create') checkListIds(input.list_ids, 'list_ids', this.listExists, problems);
    else {
      const included = checkListIds(input.list_ids_included, 'list_ids_included', this.listExists, problems);
      const excluded = checkListIds(input.list_ids_excluded, 'list_ids_excluded', this.listExists, problems);
      if (included && excluded)
        checkIncludedExcluded(
          input.list_ids_included as number[] | undefined,
          input.list_ids_excluded as number[] | undefined,
          problems,
        );
    }
    if (input.unsubscribed !== undefined && typeof input.unsubscribed !== 'boolean')
      add(problems, 'unsubscribed', 'is invalid');
    return problems;
  }

  createContact(input: ContactWrite): Outcome<Contact> {
    const problems = this.check(input, 'create');
    if (!isEmpty(problems)) return { problems };
    return { ok: this.insert(input) };
  }

  private insert(input: ContactWrite): Contact {
    const now = Date.now();
    const contact: Contact = {
      id: uuidV7(),
      email: input.email as string,
      fields: {},
      listIds: new Set(),
      unsubscribed: false,
      createdAt: now,
      updatedAt: now,
    };
    this.apply(contact, input, now);
    this.contactsById.set(contact.id, contact);
    this.contactsByEmail.set(contact.email.toLowerCase(), contact);
    return contact;
  }

  private apply(contact: Contact, input: ContactWrite, now: number): void {
    if (typeof input.email === 'string' && input.email !== contact.email) {
      this.contactsByEmail.delete(contact.email.toLowerCase());
      contact.email = input.email;
      this.contactsByEmail.set(contact.email.toLowerCase(), contact);
    }
    for (const [tag, value] of Object.entries((input.fields as Record<string, unknown> | undefined) ?? {})) {
      if (value === null) delete contact.fields[tag];
      else contact.fields[tag] = value;
    }
    for (const id of (input.list_ids as number[] | undefined) ?? []) contact.listIds.add(id);
    for (const id of (input.list_ids_included as number[] | undefined) ?? []) contact.listIds.add(id);
    for (const id of (input.list_ids_excluded as number[] | undefined) ?? []) contact.listIds.delete(id);
    if (typeof input.unsubscribed === 'boolean') contact.unsubscribed = input.unsubscribed;
    contact.updatedAt = now;
  }

  /**
   * Updates the contact named by `identifier`, or creates it when no contact has that email
   * address (the API's `action: "created"`); an unknown id answers undefined (404).
   */
  upsertContact(
    identifier: string,
    input: ContactWrite,
  ): Outcome<{ action: 'created' | 'updated'; contact: Contact }> | undefined {
    const existing = this.contact(identifier);
    if (!existing && UUID.test(identifier)) return undefined;
    const write = { ...input, email: input.email ?? existing?.email ?? identifier };
    const problems = this.check(write, 'update', existing);
    if (!isEmpty(problems)) return { problems };
    if (existing) {
      this.apply(existing, write, Date.now());
      return { ok: { action: 'updated', contact: existing } };
    }
    return { ok: { action: 'created', contact: this.insert(write) } };
  }

  deleteContact(identifier: string): boolean {
    const contact = this.contact(identifier);
    if (!contact) return false;
    this.contactsById.delete(contact.id);
    this.contactsByEmail.delete(contact.email.toLowerCase());
    return true;
  }

  addEvent(contact: Contact, input: Record<string, unknown>): Outcome<ContactEvent> {
    const problems: Problems = {};
    checkEvent(input, problems);
    if (!isEmpty(problems)) return { problems };
    const event: ContactEvent = {
      contact_id: contact.id,
      contact_email: contact.email,
      name: input.name as string,
      params: (input.params as ContactEvent['params'] | undefined) ?? {},
    };
    this.eventLog.push(event);
    return { ok: event };
  }

  events(): ContactEvent[] {
    return this.eventLog.slice();
  }

  // ---- lists

  allLists(): ContactList[] {
    return [...this.lists.values()];
  }

  list(id: number): ContactList | undefined {
    return this.lists.get(id);
  }

  private checkListName(name: unknown): Problems {
    const problems: Problems = {};
    if (typeof name !== 'string' || name.trim() === '') add(problems, 'name', "can't be blank");
    else if (name.length > CONTACT_LIMITS.listName)
      add(problems, 'name', `is too long (maximum is ${CONTACT_LIMITS.listName} characters)`);
    else if (this.allLists().some((list) => list.name === name))
      add(problems, 'name', 'has already been taken');
    return problems;
  }

  createList(name: unknown): Outcome<ContactList> {
    const problems = this.checkListName(name);
    if (!isEmpty(problems)) return { problems };
    const list = { id: this.nextListId++, name: name as string };
    this.lists.set(list.id, list);
    return { ok: list };
  }

  renameList(list: ContactList, name: unknown): Outcome<ContactList> {
    const problems = name === list.name ? {} : this.checkListName(name);
    if (!isEmpty(problems)) return { problems };
    list.name = name as string;
    return { ok: list };
  }

  /** Deletes a list; its contacts stay, outside the list. */
  deleteList(list: ContactList): void {
    this.lists.delete(list.id);
    for (const contact of this.contactsById.values()) contact.listIds.delete(list.id);
  }

  // ---- fields

  allFields(): ContactField[] {
    return [...this.fields.values()];
  }

  field(id: number): ContactField | undefined {
    return this.fields.get(id);
  }

  createField(input: Record<string, unknown>): Outcome<ContactField> {
    const problems: Problems = {};
    checkField(input, this.allFields(), false, problems);
    if (this.fields.size >= CONTACT_LIMITS.fields)
      add(problems, 'base', `cannot have more than ${CONTACT_LIMITS.fields} fields`);
    if (!isEmpty(problems)) return { problems };
    const field: ContactField = {
      id: this.nextFieldId++,
      name: input.name as string,
      data_type: input.data_type as DataType,
      merge_tag: input.merge_tag as string,
    };
    this.fields.set(field.id, field);
    return { ok: field };
  }

  /** Renames a field or its merge tag (contacts keep their values); the data type cannot change. */
  updateField(field: ContactField, input: Record<string, unknown>): Outcome<ContactField> {
    const problems: Problems = {};
    const others = this.allFields().filter((other) => other !== field);
    checkField(input, others, true, problems);
    if (input.data_type !== undefined && input.data_type !== field.data_type)
      add(problems, 'data_type', "can't be changed");
    if (!isEmpty(problems)) return { problems };
    if (typeof input.merge_tag === 'string' && input.merge_tag !== field.merge_tag) {
      for (const contact of this.contactsById.values()) {
        if (field.merge_tag in contact.fields) {
          contact.fields[input.merge_tag] = contact.fields[field.merge_tag];
          delete contact.fields[field.merge_tag];
        }
      }
      field.merge_tag = input.merge_tag;
    }
    if (typeof input.name === 'string') field.name = input.name;
    return { ok: field };
  }

  /** Deletes a field and its values on every contact. */
  deleteField(field: ContactField): void {
    this.fields.delete(field.id);
    for (const contact of this.contactsById.values()) delete contact.fields[field.merge_tag];
  }

  // ---- imports

  /**
   * Imports contacts (created, or updated when the address exists). Every contact is checked
   * first: one with problems fails the whole import with the per-address errors, nothing stored.
   */
  importContacts(
    contacts: unknown,
  ): Outcome<ContactImport> | { importErrors: Array<{ email: string; errors: Problems }> } {
    if (!Array.isArray(contacts) || contacts.length === 0) {
      return { importErrors: [{ email: '', errors: { base: ['contacts must be a non-empty array'] } }] };
    }
    if (contacts.length > CONTACT_LIMITS.importContacts) {
      return {
        importErrors: [
          {
            email: '',
            errors: { base: [`cannot import more than ${CONTACT_LIMITS.importContacts} contacts at once`] },
          },
        ],
      };
    }
    const errors: Array<{ email: string; errors: Problems }> = [];
    for (const item of contacts) {
      const input = (typeof item === 'object' && item !== null ? item : {}) as ContactWrite;
      const existing =
        typeof input.email === 'string' ? this.contactsByEmail.get(input.email.toLowerCase()) : undefined;
      const problems = this.check(input, 'import', existing);
      if (!isEmpty(problems))
        errors.push({ email: typeof input.email === 'string' ? input.email : '', errors: problems });
    }
    if (errors.length > 0) return { importErrors: errors };
    const record: ContactImport = {
      id: this.nextImportId++,
      status: 'finished',
      created_contacts_count: 0,
      updated_contacts_count: 0,
      contacts_over_limit_count: 0,
    };
    const now = Date.now();
    for (const input of contacts as ContactWrite[]) {
      const existing = this.contactsByEmail.get((input.email as string).toLowerCase());
      if (existing) {
        this.apply(existing, input, now);
        record.updated_contacts_count++;
      } else {
        this.insert(input);
        record.created_contacts_count++;
      }
    }
    this.imports.set(record.id, record);
    return { ok: record };
  }

  contactImport(id: number): ContactImport | undefined {
    return this.imports.get(id);
  }

  // ---- exports

  /** Exports the contacts matching every filter (`list_id` equal any of, `subscription_status`). */
  exportContacts(filters: unknown): Outcome<ContactExport> {
    const checked = checkExportFilters(filters);
    if ('problems' in checked) return checked;
    const matching = this.allContacts().filter((contact) =>
      checked.ok.every((filter) =>
        filter.name === 'list_id'
          ? (filter.value as number[]).some((id) => contact.listIds.has(id))
          : this.json(contact).status === filter.value,
      ),
    );
    const now = new Date().toISOString();
    const record: ContactExport = {
      id: this.nextExportId++,
      status: 'finished',
      created_at: now,
      updated_at: now,
      file: exportFile(
        matching.map((contact) => this.json(contact)),
        this.allFields(),
      ),
      count: matching.length,
    };
    this.exports.set(record.id, record);
    return { ok: record };
  }

  contactExport(id: number): ContactExport | undefined {
    return this.exports.get(id);
  }
}

type ExportFilter = { name: 'list_id'; value: number[] } | { name: 'subscription_status'; value: string };

function checkExportFilters(filters: unknown): Outcome<ExportFilter[]> {
  if (filters === undefined) return { ok: [] };
  const invalid = { problems: { filters: ['invalid'] } };
  if (!Array.isArray(filters)) return invalid;
  const result: ExportFilter[] = [];
  for (const filter of filters) {
    if (typeof filter !== 'object' || filter === null || filter.operator !== 'equal') return invalid;
    if (filter.name === 'list_id' && Array.isArray(filter.value) && filter.value.every(Number.isInteger))
      result.push({ name: 'list_id', value: filter.value });
    else if (filter.name === 'subscription_status' && ['subscribed', 'unsubscribed'].includes(filter.value))
      result.push({ name: 'subscription_status', value: filter.value });
    else return invalid;
  }
  return { ok: result };
}
