/**
 * How to point code at a running emulator, for the command's banner and the inbox's Integration
 * page (the local twin of Mailtrap's Integration tab): the two environment variables core reads
 * (MAILTRAP_API_TOKEN, MAILTRAP_ENDPOINT — so the code itself does not change) and copyable
 * samples for core, the Nodemailer transport, SMTP (when the SMTP listener is on) and curl.
 */
import { endpointsFromBase } from '@mailtrap-kit/core';

export interface IntegrationInfo {
  /** The emulator's base URL (MAILTRAP_ENDPOINT). */
  url: string;
  /** The token to show, or undefined when the one given must not be printed (it may be real). */
  token: string | undefined;
  /** The sending domains; a sample sends from the first verified one. */
  domains: Array<{ name: string; verified: boolean }>;
  sandboxId: number;
  /**
   * The SMTP listeners (transactional on `port`, bulk on `bulkPort`), when they are on; `starttls`:
   * whom STARTTLS is offered (default 'remote': loopback clients get a plain session).
   */
  smtp?: { host: string; port: number; bulkPort?: number; starttls?: 'remote' | 'always' };
}

export interface IntegrationSample {
  id: string;
  title: string;
  language: 'sh' | 'js';
  code: string;
  /** One line about the sample. */
  note: string;
}

/** The token as a sample writes it: the value, or the variable that holds it. */
function tokenText(info: IntegrationInfo): string {
  return info.token ?? '$MAILTRAP_API_TOKEN';
}

function sender(info: IntegrationInfo): string {
  const domain = info.domains.find((entry) => entry.verified)?.name ?? info.domains[0]?.name ?? 'example.com';
  return `app@${domain}`;
}

/** `MAILTRAP_API_TOKEN=... MAILTRAP_ENDPOINT=...`: what to put before `node app.js`. */
export function environmentAssignments(info: IntegrationInfo): string {
  return `MAILTRAP_API_TOKEN=${info.token ?? '<the token you started it with>'} MAILTRAP_ENDPOINT=${info.url}`;
}

export function integrationSamples(info: IntegrationInfo): IntegrationSample[] {
  const from = sender(info);
  const endpoints = endpointsFromBase(info.url);
  const samples: IntegrationSample[] = [
    {
      id: 'environment',
      title: 'Environment',
      language: 'sh',
      code: `export MAILTRAP_API_TOKEN=${tokenText(info)}\nexport MAILTRAP_ENDPOINT=${info.url}\nnode app.js`,
      note: 'core, the Nodemailer transport and every mailtrap-kit command read these two: unchanged code sends here.',
    },
    {
      id: 'core',
      title: 'core (@mailtrap-kit/core)',
      language: 'js',
      code: [
        "import { MailtrapClient } from '@mailtrap-kit/core';",
        '',
        '// token from MAILTRAP_API_TOKEN, endpoints from MAILTRAP_ENDPOINT',
        'const client = new MailtrapClient();',
        'const { message_ids } = await client.send({',
        `  from: { email: '${from}' },`,
        "  to: [{ email: 'you@example.org' }],",
        "  subject: 'Hello from the emulator',",
        "  text: 'It works.',",
        '});',
      ].join('\n'),
      note: `Or in code: new MailtrapClient({ token, endpoints: { send: '${endpoints.send}', bulk: '${endpoints.bulk}', sandbox: '${endpoints.sandbox}', general: '${endpoints.general}' } }).`,
    },
    {
      id: 'nodemailer',
      title: 'Nodemailer transport (@mailtrap-kit/nodemailer-transport)',
      language: 'js',
      code: [
        "import nodemailer from 'nodemailer';",
        "import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';",
        '',
        '// MAILTRAP_ENDPOINT points it here',
        'const transporter = nodemailer.createTransport(MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN }));',
        'await transporter.sendMail({',
        `  from: '${from}',`,
        "  to: 'you@example.org',",
        "  subject: 'Hello from the emulator',",
        "  text: 'It works.',",
        '});',
      ].join('\n'),
      note: 'The API transport: same options as the official MailtrapTransport.',
    },
  ];
  if (info.smtp) {
    const forcedTls = info.smtp.starttls === 'always';
    samples.push({
      id: 'smtp',
      title: 'SMTP (any SMTP client; here Nodemailer)',
      language: 'js',
      code: [
        "import nodemailer from 'nodemailer';",
        '',
        '// was: host: live.smtp.mailtrap.io, port: 587',
        'const transporter = nodemailer.createTransport({',
        `  host: '${info.smtp.host}',`,
        `  port: ${info.smtp.port},`,
        ...(forcedTls
          ? [
              '  ignoreTLS: true, // the emulator offers STARTTLS with a self-signed certificate (--smtp-starttls)',
            ]
          : []),
        `  auth: { user: 'api', pass: ${info.token ? `'${info.token}'` : 'process.env.MAILTRAP_API_TOKEN'} },`,
        '});',
        'await transporter.sendMail({',
        `  from: '${from}',`,
        "  to: 'you@example.org',",
        "  subject: 'Hello over SMTP',",
        "  text: 'It works.',",
        '});',
      ].join('\n'),
      note: `Mailtrap's SMTP credentials: user api, the token as the password (transactional; bulk on port ${info.smtp.bulkPort ?? '—'}, a sandbox with its own credentials). ${
        forcedTls
          ? 'STARTTLS is offered to loopback clients too (--smtp-starttls): skip it with ignoreTLS, or trust the self-signed certificate (emulator.smtp.certificate) as tls.ca.'
          : "Plain on loopback, so Nodemailer's defaults work (no TLS options); other clients get STARTTLS with a self-signed certificate."
      }`,
    });
  }
  samples.push({
    id: 'curl',
    title: 'curl',
    language: 'sh',
    code: [
      `curl -sS ${endpoints.send}/api/send \\`,
      `  -H "Authorization: Bearer ${tokenText(info)}" \\`,
      "  -H 'Content-Type: application/json' \\",
      `  -d '{"from":{"email":"${from}"},"to":[{"email":"you@example.org"}],"subject":"Hello from the emulator","text":"It works."}'`,
    ].join('\n'),
    note: `Bulk: ${endpoints.bulk}/api/send; sandbox: ${endpoints.sandbox}/api/send/${info.sandboxId}; batches: /api/batch.`,
  });
  return samples;
}
