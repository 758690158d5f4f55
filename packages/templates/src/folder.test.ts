import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  directoryName,
  readTemplatesFolder,
  contentHash,
  recordPushed,
  TemplatesFolderError,
  writeTemplateDirectory,
} from './folder';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mtk-templates-folder-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('templates folder', () => {
  it('writes a template and reads it back unchanged', async () => {
    await writeTemplateDirectory(folder, 'welcome', {
      name: 'Welcome',
      category: 'onboarding',
      uuid: '11111111-2222-4333-8444-555555555555',
      subject: 'Hi {{name}}',
      body_html: '<p>Hi {{name}}</p>\n',
      body_text: null,
    });
    expect((await readdir(join(folder, 'welcome'))).sort()).toEqual([
      'html.hbs',
      'subject.hbs',
      'template.json',
    ]);
    expect(await readFile(join(folder, 'welcome', 'subject.hbs'), 'utf8')).toBe('Hi {{name}}\n');
    expect(await readTemplatesFolder(folder)).toEqual([
      {
        directory: 'welcome',
        name: 'Welcome',
        category: 'onboarding',
        uuid: '11111111-2222-4333-8444-555555555555',
        synced: contentHash({
          name: 'Welcome',
          category: 'onboarding',
          subject: 'Hi {{name}}',
          body_html: '<p>Hi {{name}}</p>\n',
        }),
        subject: 'Hi {{name}}',
        body_html: '<p>Hi {{name}}</p>\n',
        body_text: null,
      },
    ]);
  });

  it('removes a body the template no longer has, keeps sample.json and records a uuid', async () => {
    const base = { name: 'Reset', category: 'auth', subject: 'Reset' };
    await writeTemplateDirectory(folder, 'reset', { ...base, body_html: '<p>x</p>', body_text: 'x' });
    await writeFile(join(folder, 'reset', 'sample.json'), '{"link": "https://example.com"}');
    await writeTemplateDirectory(folder, 'reset', { ...base, body_text: 'only text' });
    await recordPushed(folder, 'reset', { uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', synced: 'sha256:1' });
    const [template] = await readTemplatesFolder(folder);
    expect(template).toMatchObject({
      body_html: null,
      body_text: 'only text',
      sample: { link: 'https://example.com' },
      uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      synced: 'sha256:1',
    });
  });

  it('hashes exactly the fields push and pull compare', () => {
    const base = { name: 'A', category: 'c', subject: 's', body_html: '<p>x</p>', body_text: null };
    expect(contentHash(base)).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(contentHash({ ...base, body_text: '' })).toBe(contentHash(base));
    for (const field of ['name', 'category', 'subject', 'body_html', 'body_text'] as const) {
      expect(contentHash({ ...base, [field]: 'changed' })).not.toBe(contentHash(base));
    }
  });

  it('skips directories without template.json and rejects duplicate names', async () => {
    await mkdir(join(folder, 'notes'));
    await writeTemplateDirectory(folder, 'a', { name: 'Same', category: 'c', subject: 's', body_text: 't' });
    expect((await readTemplatesFolder(folder)).map((template) => template.directory)).toEqual(['a']);
    await writeTemplateDirectory(folder, 'b', { name: 'Same', category: 'c', subject: 's', body_text: 't' });
    await expect(readTemplatesFolder(folder)).rejects.toThrow(/"Same" is also used by a\//);
  });

  it('names the file and the problem for broken metadata, subjects and bodies', async () => {
    await mkdir(join(folder, 'broken'));
    await writeFile(join(folder, 'broken', 'template.json'), '{"name": "X"}');
    const error = await readTemplatesFolder(folder).catch((caught: unknown) => caught);
    expect(TemplatesFolderError.isInstance(error)).toBe(true);
    expect((error as TemplatesFolderError).path).toBe(join(folder, 'broken', 'template.json'));
    expect((error as Error).message).toMatch(/`category` must be a non-empty string/);

    await writeFile(join(folder, 'broken', 'template.json'), '{"name": "X", "category": "c"}');
    await expect(readTemplatesFolder(folder)).rejects.toThrow(/subject\.hbs: missing or empty/);
    await writeFile(join(folder, 'broken', 'subject.hbs'), 'S\n');
    await expect(readTemplatesFolder(folder)).rejects.toThrow(/neither html\.hbs nor text\.hbs/);
    await writeFile(join(folder, 'broken', 'text.hbs'), 'T');
    await writeFile(join(folder, 'broken', 'sample.json'), '{nope');
    await expect(readTemplatesFolder(folder)).rejects.toThrow(/sample\.json: not valid JSON/);
    await expect(readTemplatesFolder(join(folder, 'missing'))).rejects.toThrow(/no such folder/);
  });

  it('derives directory names from template names', () => {
    expect(directoryName('Welcome Email (v2)')).toBe('welcome-email-v2');
    expect(directoryName('Café Déjà vu')).toBe('cafe-deja-vu');
    expect(directoryName('***')).toBe('template');
  });
});
