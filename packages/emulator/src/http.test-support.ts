/** Real HTTP calls for the tests (not part of the package: only tests import it). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function http(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'user-agent': 'emulator-test', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

export const message = (from: string, to = 'someone@example.org') => ({
  from: { email: from },
  to: [{ email: to }],
  subject: 'Hello',
  text: 'Hi',
});
