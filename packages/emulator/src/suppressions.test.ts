import { afterAll, beforeAll, expect, it } from 'vitest';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
const seeded = Array.from({ length: 1501 }, (_, index) => ({ email: `user${index}@example.org` }));

beforeAll(async () => {
  emulator = await startEmulator({ suppressions: seeded });
});
afterAll(() => emulator.close());

const list = (query = '') => http(`${emulator.url}/api/suppressions${query}`, { token: emulator.token });

it('pages the suppression list by last_id, 1000 at a time, oldest first', async () => {
  const first = await list();
  expect(first.body).toHaveLength(1000);
  expect(first.body[0].email).toBe('user0@example.org');
  const second = await list(`?last_id=${first.body.at(-1).id}`);
  expect(second.body).toHaveLength(501);
  expect(second.body[0].email).toBe('user1000@example.org');
  expect((await list(`?last_id=${second.body.at(-1).id}`)).body).toEqual([]);
});

it('filters by email and creation time, and a deleted suppression sends again', async () => {
  expect((await list('?email=USER7@example.org')).body.map((record: any) => record.email)).toEqual([
    'user7@example.org',
  ]);
  expect((await list(`?start_time=${new Date(Date.now() + 60_000).toISOString()}`)).body).toEqual([]);
  expect((await list('?start_time=not-a-date')).status).toBe(400);
  const send = () =>
    http(`${emulator.endpoints.send}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'a@example.com' },
        to: [{ email: 'user7@example.org' }],
        subject: 's',
        text: 't',
      },
    });
  const suppressed = await send();
  expect(emulator.logs().find((entry) => entry.message_id === suppressed.body.message_ids[0])?.status).toBe(
    'opted_out',
  );
  const [record] = (await list('?email=user7@example.org')).body;
  const deleted = await http(`${emulator.url}/api/suppressions/${record.id}`, {
    method: 'DELETE',
    token: emulator.token,
  });
  expect(deleted.body.email).toBe('user7@example.org');
  const delivered = await send();
  expect(emulator.logs().find((entry) => entry.message_id === delivered.body.message_ids[0])?.status).toBe(
    'delivered',
  );
});
