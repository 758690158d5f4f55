import {
  type EmailTemplate,
  type EmailTemplateInput,
  type MailtrapClient,
  MailtrapValidationError,
  markErrorClass,
  type RequestOptions,
} from '@mailtrap-kit/core';
import { mkdir } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import {
  contentHash,
  directoryName,
  type LocalTemplate,
  readTemplatesFolder,
  recordPushed,
  TEMPLATE_FILES,
  TemplatesFolderError,
  writeTemplateDirectory,
} from './folder';
import { type LintProblem, lintTemplate } from './lint';
import { validateTemplateInput } from './validate';

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
  /** The account templates written into the folder: where, and whether the directory is new. */
  written: Array<{ name: string; directory: string; created: boolean }>;
  /** Account templates the folder already has exactly as they are. */
  unchanged: Array<{ name: string; directory: string }>;
  /**
   * Templates edited in the folder since the last pull or push (not pushed) that the account has
   * differently: not written unless `force`. `fields` is what pull would change in the folder.
   */
  conflicts: Array<{ name: string; directory: string; fields: TemplateFieldChange[] }>;
  /** Local templates whose name the account does not have (left alone). */
  localOnly: string[];
  /** The number of templates in the account. */
  remoteCount: number;
}

/** `push` refused: templates that `lint` rejects (code `templates.lint`); nothing was uploaded. */
export class TemplatesLintError extends MailtrapValidationError {
  static {
    markErrorClass(TemplatesLintError, 'TemplatesLintError');
  }
  /** The errors `lint` reports, with the file and line of each. */
  readonly problems: LintProblem[];

  constructor(problems: LintProblem[]) {
    const templates = [...new Set(problems.map((problem) => problem.template))];
    super(
      `Nothing was pushed: ${problems.length} lint error${problems.length === 1 ? '' : 's'} in ${templates.join(', ')} (run \`mailtrap-templates lint\`)`,
      { field: 'template', code: 'templates.lint' },
    );
    this.problems = problems;
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
  const errors = local.flatMap(lintTemplate).filter((problem) => problem.level === 'error');
  if (errors.length > 0) throw new TemplatesLintError(errors);
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
    const synced = contentHash(change.template);
    if (result.uuid && (result.uuid !== change.template.uuid || synced !== change.template.synced)) {
      await recordPushed(options.folder, change.template.directory, { uuid: result.uuid, synced });
    }
  }
  return { ...plan, applied: true, pushed };
}

/**
 * Pulls the account's templates into the folder: each into the directory that already holds a
 * template of that name, else a new one named after it; creates the folder. A template edited in
 * the folder since the last pull or push (its content no longer matches the `synced` hash in
 * template.json) is never overwritten unless `force`: it is reported in `conflicts` with the
 * changes pull would make. Keeps sample.json; leaves local-only templates alone.
 */
export async function pullTemplates(
  options: TemplatesSyncOptions & { force?: boolean },
): Promise<PullResult> {
  const remote = await options.client.templates.list(requestOptions(options.signal));
  const byName = remoteByName(remote);
  let local: LocalTemplate[] = [];
  try {
    local = await readTemplatesFolder(options.folder);
  } catch (error) {
    if (!(TemplatesFolderError.isInstance(error) && error.path === options.folder)) throw error;
    await mkdir(options.folder, { recursive: true });
  }
  const localByName = new Map(local.map((template) => [template.name, template]));
  const taken = new Set(local.map((template) => template.directory));
  const result: PullResult = {
    written: [],
    unchanged: [],
    conflicts: [],
    localOnly: [],
    remoteCount: remote.length,
  };
  for (const template of [...remote].sort((left, right) => left.name.localeCompare(right.name))) {
    const existing = localByName.get(template.name);
    if (existing) {
      const remoteHash = contentHash(template);
      const localHash = contentHash(existing);
      if (localHash === remoteHash) {
        if (existing.synced !== remoteHash || existing.uuid !== template.uuid)
          await writeTemplateDirectory(options.folder, existing.directory, template);
        result.unchanged.push({ name: template.name, directory: existing.directory });
        continue;
      }
      const editedLocally = existing.synced !== localHash;
      if (editedLocally && !options.force) {
        const fields = fieldChanges(existing, template).map(({ field, before, after }) => ({
          field,
          before: after,
          after: before,
        }));
        result.conflicts.push({ name: template.name, directory: existing.directory, fields });
        continue;
      }
      await writeTemplateDirectory(options.folder, existing.directory, template);
      result.written.push({ name: template.name, directory: existing.directory, created: false });
      continue;
    }
    const base = directoryName(template.name);
    let directory = base;
    for (let index = 2; taken.has(directory); index += 1) directory = `${base}-${index}`;
    taken.add(directory);
    await writeTemplateDirectory(options.folder, directory, template);
    result.written.push({ name: template.name, directory, created: true });
  }
  result.localOnly = local.filter((template) => !byName.has(template.name)).map((template) => template.name);
  return result;
}

const fileOf: Record<TemplateField, string> = {
  category: `${TEMPLATE_FILES.metadata} category`,
  subject: TEMPLATE_FILES.subject,
  body_html: TEMPLATE_FILES.html,
  body_text: TEMPLATE_FILES.text,
};

/** Unified diffs of changed fields, indented, `from` the old side `to` the new one. */
function fieldDiffs(directory: string, fields: TemplateFieldChange[], from: string, to: string): string[] {
  const lines: string[] = [];
  for (const field of fields) {
    const path = `${directory}/${fileOf[field.field]}`;
    const before = field.before.endsWith('\n') || field.before === '' ? field.before : `${field.before}\n`;
    const after = field.after.endsWith('\n') || field.after === '' ? field.after : `${field.after}\n`;
    const patch = createTwoFilesPatch(`${from}/${path}`, `${to}/${path}`, before, after, '', '', {
      context: 3,
    });
    lines.push(
      ...patch
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('====='))
        .map((line) => `    ${line}`),
    );
  }
  return lines;
}

/**
 * A readable description of a pull: what was written, what was kept because it was edited in the
 * folder (with the diff pull would apply), and a hint when the account has no templates.
 */
export function formatPullResult(result: PullResult, folder: string): string {
  const lines: string[] = [];
  for (const entry of result.written) {
    lines.push(`${entry.created ? '+ new      ' : '  updated  '} "${entry.name}" -> ${entry.directory}/`);
  }
  for (const conflict of result.conflicts) {
    lines.push(
      `! kept     "${conflict.name}" (${conflict.directory}/): edited in the folder and not pushed; the account has:`,
    );
    lines.push(...fieldDiffs(conflict.directory, conflict.fields, 'folder', 'account'));
  }
  for (const name of result.localOnly) lines.push(`  only in the folder (left alone): "${name}"`);
  if (result.remoteCount === 0) {
    lines.push(
      `The account has no templates; ${folder} is ready (create one with \`mailtrap-templates init\`, then push).`,
    );
  } else {
    const written = result.written.length;
    lines.push(
      `Pulled ${written} template${written === 1 ? '' : 's'} into ${folder}` +
        (result.unchanged.length ? ` (${result.unchanged.length} already up to date)` : ''),
    );
  }
  if (result.conflicts.length > 0) {
    lines.push(
      `${result.conflicts.length} template${result.conflicts.length === 1 ? ' was' : 's were'} not overwritten: push ${result.conflicts.length === 1 ? 'it' : 'them'} first, or pull again with --force to take the account's version.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

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
        lines.push(...fieldDiffs(change.template.directory, change.fields, 'account', 'folder'));
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
