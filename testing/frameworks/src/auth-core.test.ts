import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';
import { Auth, type AuthConfig } from '@auth/core';
import type { Adapter, AdapterUser, VerificationToken } from '@auth/core/adapters';
import Nodemailer from '@auth/core/providers/nodemailer';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { SENDER, useEmulator } from './emulator';

const emulator = useEmulator();
const origin = 'http://app.example.com';

// Auth.js keeps users and verification tokens in an adapter (a database in an app); this one keeps
// them in memory.
function memoryAdapter(): Adapter {
  const users = new Map<string, AdapterUser>();
  const tokens = new Map<string, VerificationToken>();
  return {
    async createUser(user) {
      const created = { ...user, id: crypto.randomUUID() };
      users.set(created.id, created);
      return created;
    },
    async getUser(id) {
      return users.get(id) ?? null;
    },
    async getUserByEmail(email) {
      return [...users.values()].find((user) => user.email === email) ?? null;
    },
    async getUserByAccount() {
      return null;
    },
    async updateUser(user) {
      const updated = { ...users.get(user.id)!, ...user };
      users.set(updated.id, updated);
      return updated;
    },
    async linkAccount() {},
    async createVerificationToken(token) {
      tokens.set(`${token.identifier}:${token.token}`, token);
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      const key = `${identifier}:${token}`;
      const found = tokens.get(key) ?? null;
      tokens.delete(key);
      return found;
    },
  };
}

/** Requests a magic link for `email` the way the sign-in form does; returns Auth.js' answer. */
async function requestMagicLink(config: AuthConfig, email: string): Promise<Response> {
  const csrf = await Auth(new Request(`${origin}/auth/csrf`), config);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  return Auth(
    new Request(`${origin}/auth/signin/nodemailer`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ email, csrfToken, callbackUrl: `${origin}/dashboard` }),
    }),
    config,
  );
}

const base = {
  adapter: memoryAdapter(),
  session: { strategy: 'jwt' as const },
  secret: 'a-test-secret-of-32-characters!!',
  trustHost: true,
  basePath: '/auth',
};

describe('Auth.js (@auth/core) Nodemailer provider: a magic-link sign-in', () => {
  it('sends the magic link through our transport from sendVerificationRequest, and the link signs in', async () => {
    // The README's lines: our transporter, created once, used by the provider's sendVerificationRequest.
    const transporter = nodemailer.createTransport(
      MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN }),
    );
    emulator.closeAfterAll(transporter);
    const config: AuthConfig = {
      ...base,
      providers: [
        Nodemailer({
          server: {}, // required by the provider, unused: sendVerificationRequest sends
          from: `"Acme" <${SENDER}>`,
          async sendVerificationRequest({ identifier, url, provider }) {
            const { host } = new URL(url);
            await transporter.sendMail({
              to: identifier,
              from: provider.from,
              subject: `Sign in to ${host}`,
              text: `Sign in to ${host}\n${url}\n`,
              html: `<p><a href="${url}">Sign in to ${host}</a></p>`,
              category: 'Magic link',
            });
          },
        }),
      ],
    };
    const answer = await requestMagicLink(config, 'jane@example.org');
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(
      `${origin}/auth/verify-request?provider=nodemailer&type=email`,
    );

    const [stored] = emulator.current.messages();
    expect(stored).toMatchObject({
      from: { email: SENDER, name: 'Acme' },
      to: [{ email: 'jane@example.org' }],
      subject: 'Sign in to app.example.com',
      category: 'Magic link',
    });
    const link = /https?:\/\/\S+/.exec(stored!.text!)![0];
    expect(link.startsWith(`${origin}/auth/callback/nodemailer?`)).toBe(true);
    expect(stored!.html).toContain(`href="${link}"`);

    // Following the link signs Jane in: a session cookie and a redirect to the callback URL.
    const signedIn = await Auth(new Request(link), config);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe(`${origin}/dashboard`);
    expect(signedIn.headers.getSetCookie().some((cookie) => cookie.startsWith('authjs.session-token='))).toBe(
      true,
    );
  });

  it('cannot take our transport as `server`: Auth.js deep-merges it into a plain object and sends over SMTP', async () => {
    const transport = MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN });
    const config: AuthConfig = {
      ...base,
      logger: { error() {}, warn() {}, debug() {} },
      providers: [Nodemailer({ server: transport as never, from: SENDER })],
    };
    const errors: Error[] = [];
    config.logger = { error: (error) => errors.push(error), warn() {}, debug() {} };
    const answer = await requestMagicLink(config, 'jane@example.org');
    expect(answer.headers.get('location')).toContain('error=');
    expect(emulator.current.requests()).toHaveLength(0);
    // What failed: Nodemailer's SMTP transport, connecting to the merged default localhost:25.
    const cause = errors[0] as Error & { code?: string; port?: number };
    expect(cause.code).toBe('ESOCKET');
    expect(cause.port).toBe(25);
    await transport.close();
  });
});
