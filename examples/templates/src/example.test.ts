import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { renderTemplate } from '@mailtrap-kit/templates';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run, variables, welcomeTemplate } from './example';

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

  it('creates the template once, sends it by uuid, and the local preview matches what was delivered', async () => {
    expect(await run(options())).toEqual({ sent: 1, failed: 0 });
    expect(await run(options())).toEqual({ sent: 1, failed: 0 });

    const messages = emulator.messages();
    expect(messages).toHaveLength(2);
    const uuids = new Set(messages.map((message) => message.template_uuid));
    expect(uuids.size).toBe(1);
    const preview = renderTemplate(welcomeTemplate, variables);
    expect(preview.subject).toBe('Welcome, Ada!');
    expect(messages[0]?.rendered).toEqual(preview);
    expect(messages[0]?.rendered?.html).toContain('Punched cards &lt;x100&gt;');
  });

  it('sends an existing template given by uuid', async () => {
    const existing = emulator.addTemplate({ ...welcomeTemplate, name: 'Existing welcome' });

    await run({ ...options(), templateUuid: existing.uuid });

    expect(emulator.messages({ template_uuid: existing.uuid })).toHaveLength(1);
  });
});
