/**
 * The file of a contact export: a gzipped CSV, one row per contact — email, status, list ids
 * (separated by `;`), created and updated times (ISO 8601), then one column per contact field
 * (its merge tag). Mailtrap does not publish its export's columns; these are the emulator's.
 */
import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import type { ContactField } from './contact-rules';

interface ExportedContact {
  email: string;
  status: string;
  list_ids: number[];
  created_at: number;
  updated_at: number;
  fields: Record<string, unknown>;
}

export function exportFile(contacts: ExportedContact[], fields: ContactField[]): Buffer {
  const tags = fields.map((field) => field.merge_tag);
  const rows = contacts.map((contact) => [
    contact.email,
    contact.status,
    contact.list_ids.join(';'),
    new Date(contact.created_at).toISOString(),
    new Date(contact.updated_at).toISOString(),
    ...tags.map((tag) => {
      const value = contact.fields[tag];
      return value === undefined || value === null ? '' : String(value);
    }),
  ]);
  const header = ['email', 'status', 'list_ids', 'created_at', 'updated_at', ...tags];
  return gzipSync(stringify([header, ...rows]));
}
