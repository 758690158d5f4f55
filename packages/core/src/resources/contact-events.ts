import type { ContactsSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkObject, checkScalars, checkString } from './input';

/** A custom event as recorded for a contact. */
export type ContactEvent = Omit<
  ContactsSpec.components['schemas']['ContactEventCreateResponse'],
  'params'
> & {
  params?: Record<string, string | number | boolean | null>;
};

/** `contactEvents.create` input: a name (at most 255 characters) and scalar params (names at most 255). */
export interface ContactEventInput {
  name: string;
  params?: Record<string, string | number | boolean | null>;
}

export const contactEventsOperations = {
  create: defineOperation({
    operationId: 'createContactEvent',
    method: 'POST',
    path: '/contacts/{contact_identifier}/events',
    accountLimit: 'contacts',
  }),
};

export interface ContactEventsResource {
  /** Records a custom event (for automations) on the contact with this id or email. */
  create(identifier: string, event: ContactEventInput, options?: CallOptions): Promise<ContactEvent>;
}

/** `client.contactEvents`. */
export function createContactEventsResource(call: Call): ContactEventsResource {
  return {
    create: async (identifier, event, options) => {
      const path = { contact_identifier: checkString(identifier, 'identifier') };
      const value = checkObject(event, 'event', ['name', 'params']);
      checkString(value.name, 'event.name', 255);
      if (value.params !== undefined) checkScalars(value.params, 'event.params', 255);
      return call(contactEventsOperations.create, { path, body: event, signal: options?.signal });
    },
  };
}
