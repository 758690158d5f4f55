/**
 * The checks the contacts API makes before it stores anything (contacts.openapi.yml): addresses,
 * field values by the field's data type, list ids, field names and merge tags. Each check adds
 * messages to a `{ attribute: [messages] }` map, the account API's 422 shape.
 */
import { isEmail } from '../validation';

export type DataType = 'text' | 'integer' | 'float' | 'boolean' | 'date';
export const DATA_TYPES: readonly DataType[] = ['text', 'integer', 'float', 'boolean', 'date'];

export interface ContactField {
  id: number;
  name: string;
  data_type: DataType;
  merge_tag: string;
}

export type Problems = Record<string, string[]>;

export const CONTACT_LIMITS = {
  fields: 40,
  fieldName: 80,
  mergeTag: 80,
  listName: 255,
  eventName: 255,
  eventParamKey: 255,
  importContacts: 50_000,
};

export function add(problems: Problems, attribute: string, message: string): void {
  const list = problems[attribute] ?? [];
  if (!list.includes(message)) list.push(message);
  problems[attribute] = list;
}

export function isEmpty(problems: Problems): boolean {
  return Object.keys(problems).length === 0;
}

export function checkEmail(email: unknown, problems: Problems): email is string {
  if (email === undefined || email === null || email === '') {
    add(problems, 'email', "can't be blank");
    return false;
  }
  if (!isEmail(email)) {
    add(problems, 'email', 'is invalid');
    return false;
  }
  return true;
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Whether `value` is a valid value of a field of this type (null clears a field). */
export function fitsType(type: DataType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case 'text':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isIsoDate(value);
  }
}

/**
 * Checks `fields` (`{ merge_tag: value }`) against the account's fields: unknown merge tags are
 * named together under `fields`, a value of the wrong type under its merge tag.
 */
export function checkFieldValues(
  fields: unknown,
  byMergeTag: Map<string, ContactField>,
  problems: Problems,
): fields is Record<string, unknown> | undefined {
  if (fields === undefined) return true;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    add(problems, 'fields', 'must be an object');
    return false;
  }
  const unknown: string[] = [];
  for (const [tag, value] of Object.entries(fields)) {
    const field = byMergeTag.get(tag);
    if (!field) unknown.push(tag);
    else if (!fitsType(field.data_type, value)) add(problems, tag, 'is invalid');
  }
  if (unknown.length > 0) add(problems, 'fields', `contains invalid values: ${unknown.join(', ')}`);
  return isEmpty(problems);
}

/** Checks a list of list ids: integers of lists the account has. */
export function checkListIds(
  ids: unknown,
  attribute: string,
  listExists: (id: number) => boolean,
  problems: Problems,
): ids is number[] | undefined {
  if (ids === undefined) return true;
  if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id) || !listExists(id))) {
    add(problems, attribute, 'contains invalid data');
    return false;
  }
  return true;
}

/** The list ids named as both included and excluded, as the `base` error the API gives. */
export function checkIncludedExcluded(
  included: number[] = [],
  excluded: number[] = [],
  problems: Problems,
): void {
  const both = included.filter((id) => excluded.includes(id));
  if (both.length > 0) {
    add(problems, 'base', `same list_ids ${both.join(', ')} are specified both as included and excluded`);
  }
}

/** Checks a field's name, data type and merge tag (on create, or the given ones on update). */
export function checkField(
  input: Record<string, unknown>,
  others: ContactField[],
  partial: boolean,
  problems: Problems,
): void {
  const { name, data_type: dataType, merge_tag: mergeTag } = input;
  if (!partial || name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '') add(problems, 'name', "can't be blank");
    else if (name.length > CONTACT_LIMITS.fieldName)
      add(problems, 'name', `is too long (maximum is ${CONTACT_LIMITS.fieldName} characters)`);
    else if (others.some((field) => field.name.toLowerCase() === name.toLowerCase()))
      add(problems, 'name', 'has already been taken');
  }
  if (!partial || mergeTag !== undefined) {
    if (typeof mergeTag !== 'string' || mergeTag.trim() === '') add(problems, 'merge_tag', "can't be blank");
    else if (mergeTag.length > CONTACT_LIMITS.mergeTag)
      add(problems, 'merge_tag', `is too long (maximum is ${CONTACT_LIMITS.mergeTag} characters)`);
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(mergeTag)) add(problems, 'merge_tag', 'is invalid');
    else if (others.some((field) => field.merge_tag.toLowerCase() === mergeTag.toLowerCase()))
      add(problems, 'merge_tag', 'has already been taken');
  }
  if (!partial && !DATA_TYPES.includes(dataType as DataType))
    add(problems, 'data_type', 'is not included in the list');
}

/** Checks a contact event: a name of at most 255 characters, params a map of scalars. */
export function checkEvent(input: Record<string, unknown>, problems: Problems): void {
  const { name, params } = input;
  if (typeof name !== 'string' || name.trim() === '') add(problems, 'name', 'must be a string');
  else if (name.length > CONTACT_LIMITS.eventName) add(problems, 'name', 'is too long');
  if (params === undefined) return;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    add(problems, 'params', 'must be a hash');
    return;
  }
  for (const [key, value] of Object.entries(params)) {
    if (key.length > CONTACT_LIMITS.eventParamKey)
      add(problems, 'params', `key '${key.slice(0, 40)}…' is too long`);
    const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
    if (!scalar) add(problems, 'params', `value for '${key}' must be a string, number, boolean or null`);
  }
}
