import {
  type EmailTemplate,
  type EmailTemplateInput,
  type MailtrapClient,
  MailtrapValidationError,
  type RequestOptions,
} from '@mailtrap-kit/core';
import { createTwoFilesPatch } from 'diff';
import {
  directoryName,
  type LocalTemplate,
  readTemplatesFolder,
  recordUuid,
  TEMPLATE_FILES,
  writeTemplateDirectory,
} from './folder';

/** The templates part of core's client; both path forms come from the client's `accountId`. */
export type TemplatesClient = Pick<MailtrapClient, 'templates'>;

export interface TemplatesSyncOptions {
  /** A core client (`new MailtrapClient({ token, accountId?, endpoints? })`). */
  client: TemplatesClient;
  /** The templates folder. */
  folder: string;
  signal?: AbortSignal;
}

/** The fields of a template push compares and sends. */
export type TemplateField = 'category' | 'subject' | 'body_html' | 'body_text';

export interface TemplateFieldChange {
  field: TemplateField;
  before: string;
  after: string;
}

export type PushChange =
  | { action: 'create'; template: LocalTemplate }
  | { action: 'update'; template: LocalTemplate; remote: EmailTemplate; fields: TemplateFieldChange[] }
  | { action: 'unchanged'; template: LocalTemplate; remote: EmailTemplate };

/** What a push would do: one change per local template, and the account's templates not in the folder (left alone). */
export interface PushPlan {
  changes: PushChange[];
  remoteOnly: EmailTemplate[];
}

export interface PushResult extends PushPlan {
  /** False for a dry run. */
  applied: boolean;
  /** The templates as the account has them after the push, by name. */
  pushed: EmailTemplate[];
}

export interface PullResult {
  /** One entry per account template: where it was written and whether the directory is new. */
  written: Array<{ name: string; directory: string; created: boolean }>;
  /** Local templates whose name the account does not have (left alone). */
  localOnly: string[];
}

/** Mailtrap's limit for a template's name, subject and category. */
const MAX_FIELD_LENGTH = 255;

/** Checks a template before it is sent: required fields and Mailtrap's 255-character limits. */
export function validateTemplateInput(
  input: { [Field in keyof EmailTemplateInput]?: EmailTemplateInput[Field] | null },
  partial = false,
): void {
  for (const field of ['name', 'subject', 'category'] as const) {
    const value = input[field];
    if (value === undefined && partial) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new MailtrapValidationError(`Template \`${field}\` must be a non-empty string`, { field });
    }
    if (value.length > MAX_FIELD_LENGTH) {
      throw new MailtrapValidationError(
        `Template \`${field}\` is ${value.length} characters long; Mailtrap allows at most ${MAX_FIELD_LENGTH}`,
        { field },
      );
    }
  }
  for (const field of ['body_html', 'body_text'] as const) {
    const value = input[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new MailtrapValidationError(`Template \`${field}\` must be a string`, { field });
    }
  }
  if (!partial && !input.body_html && !input.body_text) {
    throw new MailtrapValidationError('A template needs `body_html` or `body_text`', { field: 'body_html' });
  }
}

function remoteByName(remote: EmailTemplate[]): Map<string, EmailTemplate> {
  const byName = new Map<string, EmailTemplate>();
  for (const template of remote) {
    if (byName.has(template.name)) {
      throw new MailtrapValidationError(
        `The account has two templates named "${template.name}" (ids ${byName.get(template.name)!.id} and ${template.id}); push and pull match by name, so rename one first`,
        { field: 'name' },
      );
    }
    byName.set(template.name, template);
  }
  return byName;
}

function fieldChanges(local: LocalTemplate, remote: EmailTemplate): TemplateFieldChange[] {
  const changes: TemplateFieldChange[] = [];
  for (const field of ['category', 'subject', 'body_html', 'body_text'] as const) {
    const before = remote[field] ?? '';
    const after = local[field] ?? '';
    if (before !== after) changes.push({ field, before, after });
  }
  return changes;
}

function inputOf(template: LocalTemplate): EmailTemplateInput {
  const input: EmailTemplateInput = {
    name: template.name,
    subject: template.subject,
    category: template.category,
  };
  if (template.body_html) input.body_html = template.body_html;
  if (template.body_text) input.body_text = template.body_text;
  return input;
}

function requestOptions(signal: AbortSignal | undefined): RequestOptions | undefined {
  return signal ? { signal } : undefined;
}

/** Compares the folder with the account: what `pushTemplates` would create and update. Sends nothing but a list. */
export async function planPush(options: TemplatesSyncOptions): Promise<PushPlan> {
  const local = await readTemplatesFolder(options.folder);
  for (const template of local) validateTemplateInput(inputOf(template));
  const remote = await options.client.templates.list(requestOptions(options.signal));
  const byName = remoteByName(remote);
  const changes: PushChange[] = local.map((template) => {
    const match = byName.get(template.name);
    if (!match) return { action: 'create', template };
    const fields = fieldChanges(template, match);
    return fields.length > 0
      ? { action: 'update', template, remote: match, fields }
      : { action: 'unchanged', template, remote: match };
  });
  const localNames = new Set(local.map((template) => template.name));
  return { changes, remoteOnly: remote.filter((template) => !localNames.has(template.name)) };
}

/**
 * Pushes the folder to the account: creates templates whose name the account lacks, updates the
 * changed fields of the others, leaves identical ones and the account's other templates alone.
 * Idempotent. With `dryRun` it only plans. Records each template's uuid in its template.json.
 */
export async function pushTemplates(
  options: TemplatesSyncOptions & { dryRun?: boolean },
): Promise<PushResult> {
  const plan = await planPush(options);
  if (options.dryRun) return { ...plan, applied: false, pushed: [] };
  const pushed: EmailTemplate[] = [];
  const signal = requestOptions(options.signal);
  for (const change of plan.changes) {
    let result: EmailTemplate;
    if (change.action === 'create') {
      result = await options.client.templates.create(inputOf(change.template), signal);
    } else if (change.action === 'update') {
      const patch: Partial<EmailTemplateInput> = {};
      for (const { field, after } of change.fields) patch[field] = after;
      validateTemplateInput(patch, true);
      result = await options.client.templates.update(change.remote.id, patch, signal);
    } else {
      result = change.remote;
    }
    pushed.push(result);
    if (result.uuid && result.uuid !== change.template.uuid) {
      await recordUuid(options.folder, change.template.directory, result.uuid);
    }
  }
  return { ...plan, applied: true, pushed };
}

/**
 * Pulls the account's templates into the folder: each into the directory that already holds a
 * template of that name, else a new one named after it. Overwrites subject, bodies and metadata;
 * keeps sample.json; leaves local-only templates alone.
 */
export async function pullTemplates(options: TemplatesSyncOptions): Promise<PullResult> {
  const remote = await options.client.templates.list(requestOptions(options.signal));
  const byName = remoteByName(remote);
  let local: LocalTemplate[] = [];
  try {
    local = await readTemplatesFolder(options.folder);
  } catch (error) {
    if (!/no such folder/.test((error as Error).message)) throw error;
  }
  const directoryOf = new Map(local.map((template) => [template.name, template.directory]));
  const taken = new Set(local.map((template) => template.directory));
  const written: PullResult['written'] = [];
  for (const template of [...remote].sort((left, right) => left.name.localeCompare(right.name))) {
    let directory = directoryOf.get(template.name);
    const created = directory === undefined;
    if (directory === undefined) {
      const base = directoryName(template.name);
      directory = base;
      for (let index = 2; taken.has(directory); index += 1) directory = `${base}-${index}`;
      taken.add(directory);
    }
    await writeTemplateDirectory(options.folder, directory, template);
    written.push({ name: template.name, directory, created });
  }
  return { written, localOnly: local.filter((template) => !byName.has(template.name)).map((t) => t.name) };
}

const fileOf: Record<TemplateField, string> = {
  category: `${TEMPLATE_FILES.metadata} category`,
  subject: TEMPLATE_FILES.subject,
  body_html: TEMPLATE_FILES.html,
  body_text: TEMPLATE_FILES.text,
};

/** A readable description of a push plan: one line per template, a unified diff per changed field. */
export function formatPushPlan(plan: PushPlan, options: { diffs?: boolean } = {}): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    const label = `"${change.template.name}" (${change.template.directory}/)`;
    if (change.action === 'create') lines.push(`+ create ${label}`);
    else if (change.action === 'unchanged') lines.push(`  unchanged ${label}`);
    else {
      lines.push(`~ update ${label}: ${change.fields.map((field) => field.field).join(', ')}`);
      if (options.diffs !== false) {
        for (const field of change.fields) {
          const path = `${change.template.directory}/${fileOf[field.field]}`;
          const before =
            field.before.endsWith('\n') || field.before === '' ? field.before : `${field.before}\n`;
          const after = field.after.endsWith('\n') || field.after === '' ? field.after : `${field.after}\n`;
          const patch = createTwoFilesPatch(`account/${path}`, `folder/${path}`, before, after, '', '', {
            context: 3,
          });
          lines.push(
            ...patch
              .split('\n')
              .filter((line) => line !== '' && !line.startsWith('====='))
              .map((line) => `    ${line}`),
          );
        }
      }
    }
  }
  for (const template of plan.remoteOnly) {
    lines.push(`  only in the account (left alone): "${template.name}" (id ${template.id})`);
  }
  const counts = {
    create: plan.changes.filter((change) => change.action === 'create').length,
    update: plan.changes.filter((change) => change.action === 'update').length,
    unchanged: plan.changes.filter((change) => change.action === 'unchanged').length,
  };
  lines.push(`${counts.create} to create, ${counts.update} to update, ${counts.unchanged} unchanged`);
  return `${lines.join('\n')}\n`;
}
