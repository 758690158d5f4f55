/**
 * The contacts API (contacts.openapi.yml): contacts (by id or email address) and their events,
 * contact lists, contact fields, imports and exports, under /api/contacts. The state and its rules
 * are in contacts/.
 */
import type { AccountAnswer } from '../account';
import type { ContactExport, ContactImport, Outcome } from '../contacts/contacts-account';
import type { EmulatorContext } from '../context';
import { isPlainObject, sendJson } from '../http';
import type { AccountCall, AccountRoute } from './account';
import type { ControlRoute } from './control';
import { idOf, NOT_FOUND } from './sandbox';

function answer<T>(outcome: Outcome<T>, status: number, body: (value: T) => unknown): AccountAnswer {
  if ('problems' in outcome) return { status: 422, body: { errors: outcome.problems } };
  return { status, body: body(outcome.ok) };
}

async function objectBody(call: AccountCall): Promise<Record<string, unknown>> {
  const body = await call.body();
  return isPlainObject(body) ? body : {};
}

/** `{ contact: {...} }`, the wrapper of contact writes. */
async function contactBody(call: AccountCall): Promise<Record<string, unknown> | undefined> {
  const body = await call.body();
  return isPlainObject(body) && isPlainObject(body.contact) ? body.contact : undefined;
}

function importJson(record: ContactImport, created: boolean) {
  if (created) return { id: record.id, status: 'started' };
  return record;
}

function exportJson(emulator: EmulatorContext, record: ContactExport, created: boolean) {
  return {
    id: record.id,
    status: created ? 'started' : record.status,
    created_at: record.created_at,
    updated_at: record.updated_at,
    url: created ? null : exportUrl(emulator, record.id),
  };
}

/** Where the file of a finished export is downloaded (loopback, no token, like a signed URL). */
export function exportUrl(emulator: EmulatorContext, id: number): string {
  return `${emulator.baseUrl}/_emulator/contact-exports/${id}.csv.gz`;
}

const BLANK_CONTACT: AccountAnswer = { status: 422, body: { errors: { contact: ["can't be blank"] } } };

export const contactRoutes: AccountRoute[] = [
  {
    path: /^\/api\/contacts\/lists\/?$/,
    async handle(emulator, call) {
      const contacts = emulator.contacts;
      if (call.method === 'GET') return { status: 200, body: contacts.allLists() };
      if (call.method !== 'POST') return NOT_FOUND;
      return answer(contacts.createList((await objectBody(call)).name), 200, (list) => list);
    },
  },
  {
    path: /^\/api\/contacts\/lists\/([^/]+)\/?$/,
    async handle(emulator, call) {
      const id = idOf(call.params[0]);
      const list = id === undefined ? undefined : emulator.contacts.list(id);
      if (!list) return NOT_FOUND;
      if (call.method === 'GET') return { status: 200, body: list };
      if (call.method === 'PATCH' || call.method === 'PUT')
        return answer(
          emulator.contacts.renameList(list, (await objectBody(call)).name),
          200,
          (value) => value,
        );
      if (call.method === 'DELETE') {
        emulator.contacts.deleteList(list);
        return { status: 204 };
      }
      return NOT_FOUND;
    },
  },
  {
    path: /^\/api\/contacts\/fields\/?$/,
    async handle(emulator, call) {
      if (call.method === 'GET') return { status: 200, body: emulator.contacts.allFields() };
      if (call.method !== 'POST') return NOT_FOUND;
      return answer(emulator.contacts.createField(await objectBody(call)), 201, (field) => field);
    },
  },
  {
    path: /^\/api\/contacts\/fields\/([^/]+)\/?$/,
    async handle(emulator, call) {
      const id = idOf(call.params[0]);
      const field = id === undefined ? undefined : emulator.contacts.field(id);
      if (!field) return NOT_FOUND;
      if (call.method === 'GET') return { status: 200, body: field };
      if (call.method === 'PATCH' || call.method === 'PUT')
        return answer(emulator.contacts.updateField(field, await objectBody(call)), 200, (value) => value);
      if (call.method === 'DELETE') {
        emulator.contacts.deleteField(field);
        return { status: 204 };
      }
      return NOT_FOUND;
    },
  },
  {
    path: /^\/api\/contacts\/imports(?:\/([^/]+))?\/?$/,
    async handle(emulator, call) {
      if (call.params[0] !== undefined) {
        const id = idOf(call.params[0]);
        const record = id === undefined ? undefined : emulator.contacts.contactImport(id);
        if (!record || call.method !== 'GET') return NOT_FOUND;
        return { status: 200, body: importJson(record, false) };
      }
      if (call.method !== 'POST') return NOT_FOUND;
      const result = emulator.contacts.importContacts((await objectBody(call)).contacts);
      if ('importErrors' in result) return { status: 422, body: { errors: result.importErrors } };
      return answer(result, 201, (record) => importJson(record, true));
    },
  },
  {
    path: /^\/api\/contacts\/exports(?:\/([^/]+))?\/?$/,
    async handle(emulator, call) {
      if (call.params[0] !== undefined) {
        const id = idOf(call.params[0]);
        const record = id === undefined ? undefined : emulator.contacts.contactExport(id);
        if (!record || call.method !== 'GET') return NOT_FOUND;
        return { status: 200, body: exportJson(emulator, record, false) };
      }
      if (call.method !== 'POST') return NOT_FOUND;
      const outcome = emulator.contacts.exportContacts((await objectBody(call)).filters);
      return answer(outcome, 201, (record) => exportJson(emulator, record, true));
    },
  },
  {
    path: /^\/api\/contacts\/?$/,
    async handle(emulator, call) {
      if (call.method !== 'POST') return NOT_FOUND;
      const input = await contactBody(call);
      if (!input) return BLANK_CONTACT;
      return answer(emulator.contacts.createContact(input), 201, (contact) => ({
        data: emulator.contacts.json(contact),
      }));
    },
  },
  {
    path: /^\/api\/contacts\/([^/]+)\/events\/?$/,
    async handle(emulator, call) {
      const contact = emulator.contacts.contact(decodeURIComponent(call.params[0]!));
      if (!contact || call.method !== 'POST') return NOT_FOUND;
      return answer(emulator.contacts.addEvent(contact, await objectBody(call)), 201, (event) => event);
    },
  },
  {
    path: /^\/api\/contacts\/([^/]+)\/?$/,
    async handle(emulator, call) {
      const identifier = decodeURIComponent(call.params[0]!);
      const contacts = emulator.contacts;
      if (call.method === 'GET') {
        const contact = contacts.contact(identifier);
        return contact ? { status: 200, body: { data: contacts.json(contact) } } : NOT_FOUND;
      }
      if (call.method === 'PATCH' || call.method === 'PUT') {
        const input = await contactBody(call);
        if (!input) return BLANK_CONTACT;
        const outcome = contacts.upsertContact(identifier, input);
        if (!outcome) return NOT_FOUND;
        return answer(outcome, 200, ({ action, contact }) => ({ action, data: contacts.json(contact) }));
      }
      if (call.method === 'DELETE') {
        if (contacts.deleteContact(identifier)) return { status: 204 };
        return { status: 404, body: { errors: 'Contact(s) not found' } };
      }
      return NOT_FOUND;
    },
  },
];

/** The file behind a finished export's `url`. */
export const contactExportFileRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: /^\/_emulator\/contact-exports\/(\d+)\.csv\.gz$/,
    handle(emulator, { response, params }) {
      const record = emulator.contacts.contactExport(Number(params[0]));
      if (!record) return sendJson(response, 404, { error: 'Not Found' });
      response.writeHead(200, {
        'content-type': 'application/gzip',
        'content-length': record.file.length,
        'content-disposition': `attachment; filename="contacts-export-${record.id}.csv.gz"`,
      });
      response.end(record.file);
    },
  },
];
