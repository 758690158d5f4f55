import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapClient } from '../client';
import { json, startTestServer, type TestServer } from '../test-server';

const idOf = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

let server: TestServer;
let client: MailtrapClient;
beforeAll(async () => {
  // 2500 suppressions served 1000 per page after `last_id`, like the API.
  const all = Array.from({ length: 2500 }, (_, index) => ({
    id: idOf(index),
    email: `s${index}@example.org`,
  }));
  server = await startTestServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const lastId = url.searchParams.get('last_id');
    const start = lastId === null ? 0 : all.findIndex((item) => item.id === lastId) + 1;
    json(response, 200, all.slice(start, start + 1000));
  });
  client = new MailtrapClient({
    token: 'page-token',
    endpoints: { general: server.url },
    accountRateLimits: false,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('suppressions.iterate', () => {
  it('follows last_id past 1000 and stops at the short last page without an extra request', async () => {
    const seen: string[] = [];
    for await (const suppression of client.suppressions.iterate({ email: 'x' })) seen.push(suppression.email);
    expect(seen).toHaveLength(2500);
    expect(new Set(seen).size).toBe(2500);
    expect(
      server.requests.map((request) => new URL(request.url, 'http://x').searchParams.get('last_id')),
    ).toEqual([null, idOf(999), idOf(1999)]);
    expect(server.requests.every((request) => request.url.includes('email=x'))).toBe(true);
  });
});
