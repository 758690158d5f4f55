/**
 * The contract every EmulatorStorage meets, as a vitest suite: run it with a fixture that opens a
 * storage over one place (a data dir, a memory data object), so the suite can close a storage and
 * open the next over the same data, as a restart does.
 */
import { describe, expect, it } from 'vitest';
import type { CapturedMessage } from '../sandbox/sandbox-account';
import type { LogMessage } from '../store';
import type { StoredMessage } from '../types';
import { type EmulatorStorage, FORGOTTEN_IDS, type KeptLog, type KeptMessage } from './storage';
import { EmulatorStorageError } from './storage-error';

export interface StorageFixture {
  /** A storage over the fixture's data; the suite closes each before it opens the next. */
  open(): EmulatorStorage | Promise<EmulatorStorage>;
  dispose?(): void | Promise<void>;
}

function message(id: string, extra: Partial<StoredMessage> = {}): KeptMessage {
  const stored = {
    id,
    messageIds: [id, `${id}-2`],
    stream: 'transactional',
    from: { email: 'sender@example.com' },
    to: [{ email: 'a@example.org' }, { email: 'b@example.org', name: 'B' }],
    cc: [],
    bcc: [],
    subject: `subject ${id}`,
    text: 'hello',
    attachments: [],
    headers: {},
    custom_variables: { order: id },
    unknownKeys: [],
    requestId: 1,
    receivedAt: '2026-01-01T00:00:00.000Z',
    status: 'delivered',
    ...extra,
  } as unknown as StoredMessage;
  return { message: stored, bytes: 5 };
}

function logMessage(storedId: string): LogMessage {
  return {
    storedId,
    subject: `subject ${storedId}`,
    from: 'sender@example.com',
    sentAt: '2026-01-01T00:00:00.000Z',
    sentAtMs: Date.parse('2026-01-01T00:00:00.000Z'),
    category: null,
    customVariables: { order: storedId },
    stream: 'transactional',
    templateId: null,
    templateVariables: {},
    domainId: 1,
  };
}

function log(seq: number, messageId: string, storedId: string, extra: Partial<KeptLog> = {}): KeptLog {
  return { seq, messageId, storedId, to: `${messageId}@example.org`, ...extra };
}

function captured(id: number, sandboxId = 1): CapturedMessage {
  return {
    id,
    sandboxId,
    message: message(`s${id}`, { stream: 'sandbox' }).message,
    isRead: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    attachmentIds: [],
    bytes: 5,
  };
}

export function describeEmulatorStorage(
  name: string,
  createFixture: () => StorageFixture | Promise<StorageFixture>,
) {
  describe(`EmulatorStorage contract: ${name}`, () => {
    /** Runs `test` with a fresh fixture; `restart` closes the storage and opens the next one. */
    async function withStorage(
      test: (storage: EmulatorStorage, restart: () => Promise<EmulatorStorage>) => Promise<void> | void,
    ) {
      const fixture = await createFixture();
      let storage = await fixture.open();
      try {
        await test(storage, async () => {
          storage.close();
          storage = await fixture.open();
          return storage;
        });
      } finally {
        storage.close();
        await fixture.dispose?.();
      }
    }

    it('loads nothing from a new storage', () =>
      withStorage((storage) => {
        const state = storage.load();
        expect(state.messages).toEqual([]);
        expect(state.logs).toEqual([]);
        expect(state.logMessages.size).toBe(0);
        expect(state.captured).toEqual([]);
        expect(state.sections.size).toBe(0);
        expect(state.forgotten ?? []).toEqual([]);
      }));

    it('keeps messages, logs, sandbox messages and sections across a restart, in order', () =>
      withStorage(async (storage, restart) => {
        storage.write({
          messages: [message('m1'), message('m2')],
          logMessages: [logMessage('m1'), logMessage('m2')],
          logs: [log(2, 'm1-2', 'm1'), log(1, 'm1', 'm1'), log(3, 'm2', 'm2')],
          captured: [captured(2), captured(1)],
          sections: { domains: { names: ['example.com'] } },
        });
        storage.write({ messages: [message('m3')] });
        const state = (await restart()).load();
        expect(state.messages.map((item) => item.message.id)).toEqual(['m1', 'm2', 'm3']);
        expect(state.messages[0]).toEqual(message('m1'));
        expect(state.logs.map((item) => item.seq)).toEqual([1, 2, 3]);
        expect(state.logMessages.get('m2')).toEqual(logMessage('m2'));
        expect(state.captured.map((item) => item.id)).toEqual([1, 2]);
        expect(state.captured[0]).toEqual(captured(1));
        expect(state.sections.get('domains')).toEqual({ names: ['example.com'] });
      }));

    it('replaces an item put again under the same key; a message put again moves to the end', () =>
      withStorage(async (storage, restart) => {
        storage.write({ messages: [message('m1'), message('m2')], logs: [log(1, 'm1', 'm1')] });
        storage.write({
          messages: [message('m1', { subject: 'changed' })],
          logMessages: [logMessage('m1')],
          logs: [log(1, 'm1', 'm1', { events: [], suppressed: true })],
          sections: { tokens: 1 },
        });
        storage.write({ sections: { tokens: 2 } });
        const state = (await restart()).load();
        expect(state.messages.map((item) => [item.message.id, item.message.subject])).toEqual([
          ['m2', 'subject m2'],
          ['m1', 'changed'],
        ]);
        expect(state.logs).toEqual([log(1, 'm1', 'm1', { events: [], suppressed: true })]);
        expect(state.sections.get('tokens')).toBe(2);
      }));

    it('applies the drops of a change set after its puts, and leaves out log messages no log uses', () =>
      withStorage(async (storage, restart) => {
        storage.write({
          messages: [message('m1'), message('m2')],
          logMessages: [logMessage('m1'), logMessage('m2')],
          logs: [log(1, 'm1', 'm1'), log(2, 'm2', 'm2')],
          captured: [captured(1), captured(2)],
        });
        storage.write({
          messages: [message('m3')],
          logs: [log(3, 'm3', 'm2')],
          droppedMessages: ['m1', 'm3', 'unknown'],
          droppedLogs: ['m1', 'm3'],
          droppedCaptured: [2, 99],
        });
        const state = (await restart()).load();
        expect(state.messages.map((item) => item.message.id)).toEqual(['m2']);
        expect(state.logs.map((item) => item.messageId)).toEqual(['m2']);
        expect([...state.logMessages.keys()]).toEqual(['m2']);
        expect(state.captured.map((item) => item.id)).toEqual([1]);
      }));

    it('clears messages, logs and sandbox messages before the puts of the same change set; sections stay', () =>
      withStorage(async (storage, restart) => {
        storage.write({
          messages: [message('m1')],
          logMessages: [logMessage('m1')],
          logs: [log(1, 'm1', 'm1')],
          captured: [captured(1)],
          sections: { webhooks: ['w'] },
        });
        storage.write({ clear: true, messages: [message('m2')] });
        const state = (await restart()).load();
        expect(state.messages.map((item) => item.message.id)).toEqual(['m2']);
        expect(state.logs).toEqual([]);
        expect(state.logMessages.size).toBe(0);
        expect(state.captured).toEqual([]);
        expect(state.sections.get('webhooks')).toEqual(['w']);
      }));

    it('keeps why ids are gone, the last FORGOTTEN_IDS of them, a put again moving to the newest; clear drops them', () =>
      withStorage(async (storage, restart) => {
        storage.write({
          forgotten: [
            { id: 'd1', reason: 'deleted' },
            { id: 'r1', reason: 'retention' },
          ],
        });
        storage.write({ forgotten: [{ id: 'd1', reason: 'deleted' }] });
        let state = (await restart()).load();
        expect(state.forgotten).toEqual([
          { id: 'r1', reason: 'retention' },
          { id: 'd1', reason: 'deleted' },
        ]);
        const many = Array.from({ length: FORGOTTEN_IDS + 5 }, (_, index) => ({
          id: `x${index}`,
          reason: 'retention' as const,
        }));
        (await restart()).write({ forgotten: many });
        state = (await restart()).load();
        expect(state.forgotten).toHaveLength(FORGOTTEN_IDS);
        expect(state.forgotten![0]).toEqual({ id: 'x5', reason: 'retention' });
        expect(state.forgotten!.at(-1)).toEqual({ id: `x${FORGOTTEN_IDS + 4}`, reason: 'retention' });
        (await restart()).write({ clear: true });
        expect((await restart()).load().forgotten ?? []).toEqual([]);
      }));

    it('stores copies: Buffers, Maps, Sets and Dates come back as they were, later changes do not leak in', () =>
      withStorage(async (storage, restart) => {
        const kept = message('m1', { raw: Buffer.from('Subject: hi\r\n\r\nbody') } as Partial<StoredMessage>);
        const section = { byId: new Map([[1, { streams: new Set(['bulk']) }]]), at: new Date(5) };
        storage.write({ messages: [kept], sections: { tokens: section } });
        kept.message.subject = 'changed after the write';
        section.byId.clear();
        const reopened = await restart();
        const state = reopened.load();
        const raw = (state.messages[0]!.message as unknown as { raw: unknown }).raw;
        expect(Buffer.isBuffer(raw)).toBe(true);
        expect(String(raw)).toBe('Subject: hi\r\n\r\nbody');
        expect(state.messages[0]!.message.subject).toBe('subject m1');
        const loaded = state.sections.get('tokens') as typeof section;
        expect(loaded.byId.get(1)?.streams).toEqual(new Set(['bulk']));
        expect(loaded.at).toEqual(new Date(5));
        // and what load returns is a copy too
        state.messages[0]!.message.subject = 'changed after the load';
        expect(reopened.load().messages[0]!.message.subject).toBe('subject m1');
      }));

    it('throws emulator.storage_closed once closed', () =>
      withStorage(async (storage, restart) => {
        storage.close();
        expect(() => storage.load()).toThrow(EmulatorStorageError);
        try {
          storage.write({});
          expect.unreachable('write on a closed storage');
        } catch (error) {
          expect((error as EmulatorStorageError).code).toBe('emulator.storage_closed');
        }
        // closing twice is harmless, and the data is still there for the next one
        await restart();
      }));
  });
}
