import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, type EmailTemplate, MailtrapClient, type MailtrapEndpoints } from '@mailtrap-kit/core';
import {
  defineTemplate,
  deriveVariableSchema,
  pushTemplates,
  renderTemplate,
  TemplateVariablesError,
} from '@mailtrap-kit/templates';
import type { MailtrapKitWelcomeVariables } from './mail-templates';

export interface ExampleOptions {
  token: string;
  /** Base URLs of a Mailtrap-compatible API (the emulator); omit them to use Mailtrap. */
  endpoints?: MailtrapEndpoints;
  from: Address;
  to: Address;
  /** Send this existing template instead of pushing the example's folder. */
  templateUuid?: string;
  /** Use the account-scoped Templates API paths (`/api/accounts/{id}/email_templates`). */
  accountId?: number;
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

/** The templates folder, kept in version control: one directory per template. */
export const templatesFolder = fileURLToPath(new URL('../templates', import.meta.url));

export const variables = {
  user: { first_name: 'Ada' },
  plan: 'Pro',
  items: [
    { name: 'Analytical Engine', price: '£17,000' },
    { name: 'Punched cards <x100>', price: '£3' },
  ],
} satisfies MailtrapKitWelcomeVariables;

/** Pushes the folder (create or update by name), previews locally, sends with typed variables. */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { token, endpoints, from, to, log = console.log } = options;
  const client = new MailtrapClient({ token, endpoints, accountId: options.accountId });
  try {
    const template = options.templateUuid
      ? await findByUuid(client, options.templateUuid)
      : await push(client, log);

    // Typed sends: a missing or misspelled variable is a type error, and is checked again at runtime.
    const welcome = defineTemplate<MailtrapKitWelcomeVariables>({
      uuid: template.uuid,
      name: template.name,
      schema: deriveVariableSchema(template),
    });
    try {
      welcome.message({ from, to: [to], variables: { plan: 'Pro' } as MailtrapKitWelcomeVariables });
    } catch (error) {
      if (!TemplateVariablesError.isInstance(error)) throw error;
      log(`refused before sending: ${error.message}`);
    }

    // Render locally, exactly as Mailtrap will: a preview or a test snapshot, no request needed.
    log(`preview: subject "${renderTemplate(template, variables).subject}"`);

    // The template supplies subject, text, html and category; only the variables travel.
    const { message_ids } = await client.send(welcome.message({ from, to: [to], variables }));
    log(`send: accepted, message id ${message_ids[0]}`);
    return { sent: 1, failed: 0 };
  } finally {
    await client.close();
  }
}

async function push(client: MailtrapClient, log: (line: string) => void): Promise<EmailTemplate> {
  // push records each template's uuid in its template.json. In your project, push the folder
  // itself and commit the uuids; this example pushes a copy to keep the repository clean.
  const folder = await mkdtemp(join(tmpdir(), 'mailtrap-templates-'));
  try {
    await cp(templatesFolder, folder, { recursive: true });
    const result = await pushTemplates({ client, folder });
    for (const change of result.changes) log(`push: ${change.template.name}: ${change.action}`);
    return result.pushed.find((template) => template.name === 'mailtrap-kit welcome')!;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function findByUuid(client: MailtrapClient, uuid: string): Promise<EmailTemplate> {
  const found = (await client.templates.list()).find((template) => template.uuid === uuid);
  if (!found) throw new Error(`MAILTRAP_TEMPLATE_UUID ${uuid} is not among the account's templates`);
  return found;
}
