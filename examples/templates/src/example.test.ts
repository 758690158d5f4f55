import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { generateTypes, readTemplatesFolder, renderTemplate } from '@mailtrap-kit/templates';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run, templatesFolder, variables } from './example';

describe('templates example', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    await emulator?.close();
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  const options = () => ({
    token: emulator.token,
    endpoints: emulator.endpoints,
    from: { email: 'hello@example.com' },
    to: { email: 'ada@example.org' },
    log: () => {},
  });

  it('pushes the folder once, sends by uuid, and the local preview is what the emulator rendered', async () => {
    const lines: string[] = [];
    expect(await run({ ...options(), log: (line) => lines.push(line) })).toEqual({ sent: 1, failed: 0 });
    expect(await run({ ...options(), log: (line) => lines.push(line) })).toEqual({ sent: 1, failed: 0 });

    expect(lines.filter((line) => line.startsWith('push:'))).toEqual([
      'push: mailtrap-kit welcome: create',
      'push: mailtrap-kit welcome: unchanged',
    ]);
    expect(lines.filter((line) => line.startsWith('refused before sending:'))).toHaveLength(2);
    const messages = emulator.messages();
    expect(messages).toHaveLength(2);
    expect(new Set(messages.map((message) => message.template_uuid)).size).toBe(1);

    const [local] = await readTemplatesFolder(templatesFolder);
    const preview = renderTemplate(local!, variables);
    expect(preview.subject).toBe('Welcome, Ada!');
    expect(messages[0]?.rendered).toEqual(preview);
    expect(messages[0]?.rendered?.html).toContain('Punched cards &lt;x100&gt;');
  });

  it('sends an existing template given by uuid', async () => {
    const [local] = await readTemplatesFolder(templatesFolder);
    const existing = emulator.addTemplate({ ...local!, name: 'Existing welcome' });

    await run({ ...options(), templateUuid: existing.uuid });

    expect(emulator.messages({ template_uuid: existing.uuid })).toHaveLength(1);
  });

  it('keeps src/mail-templates.ts in step with the templates folder', async () => {
    const generated = generateTypes(await readTemplatesFolder(templatesFolder));
    const committed = await readFile(fileURLToPath(new URL('./mail-templates.ts', import.meta.url)), 'utf8');
    expect(committed).toBe(generated);
  });
});
