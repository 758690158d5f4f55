import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MailtrapError, markErrorClass } from '@mailtrap-kit/core';

/**
 * A templates folder: one directory per template holding
 * - `template.json`: `{ "name": ..., "category": ..., "uuid"?: ..., "synced"?: ... }` (uuid and the
 *   hash of the content last pulled or pushed, recorded by pull/push);
 * - `subject.hbs`: the subject (one trailing newline is ignored);
 * - `html.hbs` and/or `text.hbs`: the bodies, byte for byte;
 * - `sample.json` (optional): sample variables for `preview` and `lint`; never sent.
 */
export const TEMPLATE_FILES = Object.freeze({
  metadata: 'template.json',
  subject: 'subject.hbs',
  html: 'html.hbs',
  text: 'text.hbs',
  sample: 'sample.json',
});

/** One template as it is kept in version control. */
export interface LocalTemplate {
  /** The directory name inside the folder. */
  directory: string;
  name: string;
  category: string;
  uuid?: string;
  /** The {@link contentHash} of what was last pulled or pushed: tells a local edit from a remote one. */
  synced?: string;
  subject: string;
  body_html: string | null;
  body_text: string | null;
  /** The sample variables, when `sample.json` exists. */
  sample?: Record<string, unknown>;
}

/** A templates folder that cannot be read: names the file and what is wrong with it (code `templates.folder`). */
export class TemplatesFolderError extends MailtrapError {
  static {
    markErrorClass(TemplatesFolderError, 'TemplatesFolderError');
  }
  readonly path: string;

  constructor(path: string, message: string, options: { cause?: unknown } = {}) {
    super(`${path}: ${message}`, { code: 'templates.folder', cause: options.cause });
    this.path = path;
  }
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readJson(path: string): Promise<unknown | undefined> {
  const text = await readOptional(path);
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplatesFolderError(path, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Reads one template directory; undefined when it has no template.json. */
export async function readTemplateDirectory(
  folder: string,
  directory: string,
): Promise<LocalTemplate | undefined> {
  const base = join(folder, directory);
  const metadataPath = join(base, TEMPLATE_FILES.metadata);
  const metadata = await readJson(metadataPath);
  if (metadata === undefined) return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TemplatesFolderError(
      metadataPath,
      'must be an object like {"name": "Welcome", "category": "onboarding"}',
    );
  }
  const { name, category, uuid, synced } = metadata as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TemplatesFolderError(
      metadataPath,
      '`name` must be a non-empty string (the template name in Mailtrap)',
    );
  }
  if (typeof category !== 'string' || category.trim() === '') {
    throw new TemplatesFolderError(
      metadataPath,
      '`category` must be a non-empty string: Mailtrap requires one for every template (e.g. "onboarding")',
    );
  }
  if (uuid !== undefined && typeof uuid !== 'string') {
    throw new TemplatesFolderError(metadataPath, '`uuid` must be a string when present');
  }
  const subjectPath = join(base, TEMPLATE_FILES.subject);
  const subject = await readOptional(subjectPath);
  if (subject === null || stripFinalNewline(subject) === '') {
    throw new TemplatesFolderError(subjectPath, 'missing or empty: every template needs a subject');
  }
  const html = await readOptional(join(base, TEMPLATE_FILES.html));
  const text = await readOptional(join(base, TEMPLATE_FILES.text));
  if (!html && !text) {
    throw new TemplatesFolderError(base, `has neither ${TEMPLATE_FILES.html} nor ${TEMPLATE_FILES.text}`);
  }
  const samplePath = join(base, TEMPLATE_FILES.sample);
  const sample = await readJson(samplePath);
  if (sample !== undefined && (typeof sample !== 'object' || sample === null || Array.isArray(sample))) {
    throw new TemplatesFolderError(samplePath, 'must be an object of sample variables');
  }
  const template: LocalTemplate = {
    directory,
    name,
    category,
    subject: stripFinalNewline(subject),
    body_html: html || null,
    body_text: text || null,
  };
  if (uuid) template.uuid = uuid;
  if (typeof synced === 'string' && synced) template.synced = synced;
  if (sample !== undefined) template.sample = sample as Record<string, unknown>;
  return template;
}

/**
 * Reads every template directory of a folder (sorted by directory). Directories without a
 * template.json are skipped; two directories with the same template name are an error.
 */
export async function readTemplatesFolder(folder: string): Promise<LocalTemplate[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TemplatesFolderError(
        folder,
        "no such folder (run `mailtrap-templates init` for a first template, or `mailtrap-templates pull` for the account's)",
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  const directories = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const templates: LocalTemplate[] = [];
  const byName = new Map<string, string>();
  for (const directory of directories) {
    const template = await readTemplateDirectory(folder, directory);
    if (!template) continue;
    const other = byName.get(template.name);
    if (other !== undefined) {
      throw new TemplatesFolderError(
        join(folder, directory),
        `template name "${template.name}" is also used by ${other}/ (names must be unique: push matches by name)`,
      );
    }
    byName.set(template.name, directory);
    templates.push(template);
  }
  return templates;
}

/** A directory name for a template name: lowercase words joined by dashes. */
export function directoryName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'template';
}

/** A hash of the fields push and pull compare (name, category, subject, bodies). */
export function contentHash(template: {
  name: string;
  category: string;
  subject: string;
  body_html?: string | null;
  body_text?: string | null;
}): string {
  const fields = [
    template.name,
    template.category,
    template.subject,
    template.body_html || '',
    template.body_text || '',
  ];
  return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)}`;
}

/** What a template directory holds, written by pull. */
export interface TemplateContent {
  name: string;
  category: string;
  uuid?: string | null;
  subject: string;
  body_html?: string | null;
  body_text?: string | null;
}

/**
 * Writes one template into `folder/directory` (creating it): template.json, subject.hbs and the
 * bodies it has; a body the template no longer has is removed. sample.json is never touched.
 * `synced` (default true: the content is the account's, as pull writes it) records the content's
 * hash in template.json; a template that was never pulled or pushed has none.
 */
export async function writeTemplateDirectory(
  folder: string,
  directory: string,
  template: TemplateContent,
  options: { synced?: boolean } = {},
): Promise<void> {
  const base = join(folder, directory);
  await mkdir(base, { recursive: true });
  const metadata: Record<string, string> = { name: template.name, category: template.category };
  if (template.uuid) metadata.uuid = template.uuid;
  if (options.synced !== false) metadata.synced = contentHash(template);
  await writeFile(join(base, TEMPLATE_FILES.metadata), `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFile(join(base, TEMPLATE_FILES.subject), `${template.subject}\n`);
  for (const [file, body] of [
    [TEMPLATE_FILES.html, template.body_html],
    [TEMPLATE_FILES.text, template.body_text],
  ] as const) {
    if (body) await writeFile(join(base, file), body);
    else await rm(join(base, file), { force: true });
  }
}

/** Records the uuid and the pushed content's hash in a directory's template.json (after push). */
export async function recordPushed(
  folder: string,
  directory: string,
  pushed: { uuid: string; synced: string },
): Promise<void> {
  const path = join(folder, directory, TEMPLATE_FILES.metadata);
  const metadata = (await readJson(path)) as Record<string, unknown>;
  await writeFile(
    path,
    `${JSON.stringify({ ...metadata, uuid: pushed.uuid, synced: pushed.synced }, null, 2)}\n`,
  );
}
