import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SpecServer, startSpecServer } from './server.js';
import { exampleRequests } from './spec-requests.js';

let server: SpecServer;
beforeAll(async () => {
  server = await startSpecServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const auth = { authorization: 'Bearer spec-server-token' };

async function call(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...auth, ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    type,
    text,
    json: type.startsWith('application/json') ? JSON.parse(text) : undefined,
  };
}

describe('startSpecServer', () => {
  it('accepts the request the spec’s own examples describe, for every operation that has them', async () => {
    const { requests, missing } = exampleRequests();
    const refused: string[] = [];
    for (const request of requests) {
      const answer = await call(request.method, request.url, request.body ? { body: request.body } : {});
      if (answer.status >= 400) refused.push(`${request.operation.key} ${answer.status} ${answer.text}`);
    }
    expect(refused).toEqual([]);
    expect(server.problems()).toEqual([]);
    expect(server.calls).toHaveLength(requests.length);
    // the operations whose spec has no example for a piece of the request (covered by the suite instead)
    expect(Object.keys(missing).sort()).toEqual(
      [
        'account-management:createOrganizationSubAccount',
        'email-sending-bulk:batchSendEmail',
        'email-sending-bulk:sendBulkEmail',
        'email-sending-transactional:batchSendEmail',
        'email-sending-transactional:sendEmail',
        'email-sending:createSuppression',
        'email-sending:createWebhook',
        'email-sending:getEmailLogMessage',
        'email-sending:updateWebhook',
        'inbound:createInboundFolder',
        'inbound:createInboundInbox',
        'inbound:updateInboundFolder',
        'inbound:updateInboundInbox',
        'sandbox-sending:sendEmail',
        'sandbox:forwardSandboxEmailMessage',
      ].sort(),
    );
  });

  it('answers a valid request with the spec’s example and records it with typed parameters', async () => {
    const answer = await call('GET', '/api/domains/435');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: 435, domain_name: 'mailtrap.io' });
    expect(server.lastCall()).toMatchObject({
      key: 'email-sending:getDomain',
      operationId: 'getDomain',
      host: 'general',
      params: { domain_id: 435 },
      auth: 'bearer',
      problems: [],
      status: 200,
    });
    expect(JSON.stringify(server.calls)).not.toContain('spec-server-token');
  });

  it('refuses a body that does not match the schema with 400 naming each problem', async () => {
    const answer = await call('POST', '/api/domains', { body: { domain: { domain_name: 42, extra: true } } });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain('email-sending:createDomain');
    expect(answer.json.problems).toEqual(['body/domain/domain_name: must be string']);
    expect(server.problems()).toEqual([
      'POST /api/domains (email-sending:createDomain): body/domain/domain_name: must be string',
    ]);
    const missing = await call('POST', '/api/domains', { body: {} });
    expect(missing.json.problems).toEqual(["body: must have required property 'domain'"]);
  });

  it('refuses bodies that are not JSON, a wrong content type, a missing body and a body where none is taken', async () => {
    expect((await call('POST', '/api/domains', { body: '{nope' })).json.problems[0]).toMatch(
      /^body: not JSON/,
    );
    expect(
      (await call('POST', '/api/domains', { body: '{}', headers: { 'content-type': 'text/plain' } })).json
        .problems,
    ).toEqual(['headers: content-type must be application/json, got text/plain']);
    expect((await call('POST', '/api/domains')).json.problems).toEqual([
      'body: the request body is required',
    ]);
    expect((await call('PATCH', '/api/sandboxes/1/clean', { body: { x: 1 } })).json.problems).toEqual([
      'body: cleanSandbox takes no request body, got 7 bytes',
    ]);
  });

  it('checks path parameters against their schema', async () => {
    const answer = await call('GET', '/api/domains/not-a-number');
    expect(answer.status).toBe(400);
    expect(answer.json.problems).toEqual(['path/domain_id: must be integer']);
  });

  it('checks query parameters: types, required ones, bracket names, deepObject filters and unknown keys', async () => {
    const stats = await call(
      'GET',
      '/api/stats?start_date=2025-01-01&end_date=2025-01-31&domain_ids[]=1&domain_ids[]=2',
    );
    expect(stats.status).toBe(200);
    expect(server.lastCall()?.query).toEqual({
      start_date: '2025-01-01',
      end_date: '2025-01-31',
      'domain_ids[]': [1, 2],
    });

    const noDates = await call('GET', '/api/stats?domain_ids=1');
    expect(noDates.json.problems).toEqual([
      'query: required parameter start_date is missing',
      'query: required parameter end_date is missing',
      'query: unknown parameter domain_ids (the spec has start_date, end_date, domain_ids[], sending_streams[], categories[], email_service_providers[])',
    ]);

    const logs = await call(
      'GET',
      '/api/email_logs?filters[to][operator]=ci_equal&filters[to][value]=a%40example.com' +
        '&filters[domain_id][operator]=equal&filters[domain_id][value][]=3938&filters[domain_id][value][]=3939',
    );
    expect(logs.status).toBe(200);
    expect(server.lastCall()?.query).toEqual({
      filters: {
        to: { operator: 'ci_equal', value: 'a@example.com' },
        domain_id: { operator: 'equal', value: [3938, 3939] },
      },
    });
    const badFilter = await call(
      'GET',
      '/api/email_logs?filters[status][operator]=equal&filters[status][value]=lost',
    );
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.problems.join('\n')).toContain('query/filters/status');
  });

  it('takes an array parameter the spec names without brackets repeated or as name[]', async () => {
    expect((await call('GET', '/api/account_accesses?project_ids=3938&project_ids=3939')).status).toBe(200);
    expect((await call('GET', '/api/account_accesses?project_ids[]=3938&domain_ids[]=1')).status).toBe(200);
    expect(server.calls.map((c) => c.query)).toEqual([
      { project_ids: ['3938', '3939'] },
      { project_ids: ['3938'], domain_ids: ['1'] },
    ]);
    // a bracket name the spec writes (`domain_ids[]`) has one form only
    const stats = await call('GET', '/api/stats?start_date=2025-01-01&end_date=2025-01-31&domain_ids[][]=1');
    expect(stats.status).toBe(400);
  });

  it('serves the account API on the spec path and on /api/accounts/{account_id}/...', async () => {
    expect((await call('GET', '/api/accounts/1234/domains/435')).status).toBe(200);
    expect(server.lastCall()).toMatchObject({
      operationId: 'getDomain',
      accountId: '1234',
      params: { domain_id: 435 },
    });
    expect((await call('GET', '/api/accounts')).status).toBe(200);
    expect(server.lastCall()?.operationId).toBe('getAllAccounts');
  });

  it('tells apart literal segments from parameters (contacts/lists is not a contact id)', async () => {
    await call('GET', '/api/contacts/lists');
    await call('GET', '/api/contacts/someone%40example.com');
    expect(server.calls.map((c) => c.operationId)).toEqual(['contactLists', 'getContact']);
    expect(server.lastCall()?.params).toEqual({ contact_identifier: 'someone@example.com' });
  });

  it('serves the sending hosts under their prefixes', async () => {
    const message = {
      from: { email: 'sender@example.com' },
      to: [{ email: 'to@example.com' }],
      subject: 'Hi',
      text: 'Hello',
    };
    expect((await call('POST', '/transactional/api/send', { body: message })).json).toMatchObject({
      success: true,
    });
    expect((await call('POST', '/bulk/api/send', { body: message })).status).toBe(200);
    expect((await call('POST', '/sandbox/api/send/7', { body: message })).status).toBe(200);
    expect(server.calls.map((c) => [c.key, c.params])).toEqual([
      ['email-sending-transactional:sendEmail', {}],
      ['email-sending-bulk:sendBulkEmail', {}],
      ['sandbox-sending:sendEmail', { sandbox_id: 7 }],
    ]);
    const noRecipient = await call('POST', '/transactional/api/send', { body: { ...message, to: 'x' } });
    expect(noRecipient.status).toBe(400);
  });

  it('requires an Authorization: Bearer or Api-Token header, not both', async () => {
    const none = await fetch(`${server.url}/api/accounts`);
    expect(none.status).toBe(400);
    expect(((await none.json()) as { problems: string[] }).problems).toEqual([
      'headers: no Authorization: Bearer <token> or Api-Token header',
    ]);
    expect((await call('GET', '/api/accounts', { headers: { 'api-token': 'x' } })).json.problems).toEqual([
      'headers: send either Authorization: Bearer or Api-Token, not both',
    ]);
    expect((await fetch(`${server.url}/api/accounts`, { headers: { 'api-token': 'x' } })).status).toBe(200);
    expect(server.lastCall()?.auth).toBe('api-token');
  });

  it('answers 404 for a path no spec has and 405 for a method the path does not take', async () => {
    const unknown = await call('GET', '/api/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe('path: no operation of the Mailtrap specs is GET /api/nothing');
    const wrong = await call('PUT', '/api/domains/1', { body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.json.error).toContain('the spec has GET, PATCH, DELETE');
    expect(server.problems()).toHaveLength(2);
  });

  it('answers with the spec’s error example on demand, for as many calls as asked', async () => {
    server.answerNext('getDomain', 404);
    server.answerNext('createContact', 422);
    server.answerNext('getSuppressions', 429, { times: 2, headers: { 'retry-after': '1' } });
    const notFound = await call('GET', '/api/domains/1');
    expect(notFound.status).toBe(404);
    expect(notFound.json).toEqual({ error: 'Not Found' });
    expect((await call('GET', '/api/domains/1')).status).toBe(200);
    const invalid = await call('POST', '/api/contacts', { body: { contact: { email: 'john@example.com' } } });
    expect(invalid.status).toBe(422);
    expect(invalid.json.errors).toBeDefined();
    const limited = await fetch(`${server.url}/api/suppressions`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await call('GET', '/api/suppressions')).status).toBe(429);
    expect((await call('GET', '/api/suppressions')).status).toBe(200);
    expect(server.pendingAnswers()).toEqual([]);
  });

  it('refuses to plan an answer the spec does not have, unless the test gives the body', () => {
    expect(() => server.answerNext('getAllAccounts', 404)).toThrow(
      /has no 404 answer in the spec \(it lists 200, 401\)/,
    );
    server.answerNext('getAllAccounts', 503, { body: { error: 'down' } });
    expect(server.pendingAnswers()).toEqual(['account-management:getAllAccounts → 503 (1 left)']);
  });

  it('still validates a request that gets a planned error answer', async () => {
    server.answerNext('createDomain', 422);
    expect((await call('POST', '/api/domains', { body: { domain: {} } })).status).toBe(400);
    expect(server.pendingAnswers()).toHaveLength(1);
  });

  it('answers 204 without a body and text bodies as text', async () => {
    const deleted = await call('DELETE', '/api/domains/1');
    expect(deleted).toMatchObject({ status: 204, text: '' });
    const text = await call('GET', '/api/sandboxes/1/messages/2/body.txt');
    expect(text.status).toBe(200);
    expect(text.type).toBe('text/plain');
    expect(text.text.length).toBeGreaterThan(0);
    expect(text.text.startsWith('"')).toBe(false);
  });

  it('uses a test’s own success body where given', async () => {
    const own = await startSpecServer({
      successBodies: { getAllAccounts: [{ id: 1, name: 'Own', access_levels: [100] }] },
    });
    try {
      const response = await fetch(`${own.url}/api/accounts`, { headers: auth });
      expect(await response.json()).toEqual([{ id: 1, name: 'Own', access_levels: [100] }]);
    } finally {
      await own.close();
    }
  });
});
