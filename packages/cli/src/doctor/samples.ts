import { TOKEN_VARIABLE } from '@mailtrap-kit/cli-kit';
import type { MailtrapEndpoints } from '@mailtrap-kit/core';

/** What the samples are filled with: the setup the checks ran against. */
export interface SampleSetup {
  stream: 'transactional' | 'bulk';
  endpoints: Required<MailtrapEndpoints>;
  from: string;
  to: string;
  /** The token as it may be shown (masked), for the comment next to the variable. */
  maskedToken: string;
  /** True when the hosts are Mailtrap's own (not an emulator or proxy). */
  mailtrap: boolean;
}

export interface CodeSamples {
  core: string;
  nodemailer: string;
  smtp: string;
  curl: string;
}

const smtpHosts = { transactional: 'live.smtp.mailtrap.io', bulk: 'bulk.smtp.mailtrap.io' };

/**
 * The code for this setup: core, the Nodemailer transport, SMTP and curl, with the host filled in
 * and the token read from `MAILTRAP_API_TOKEN` (its masked value in a comment, never the token).
 */
export function codeSamples(setup: SampleSetup): CodeSamples {
  const host = setup.stream === 'bulk' ? setup.endpoints.bulk : setup.endpoints.send;
  const endpointsOption = setup.mailtrap
    ? ''
    : `,\n  endpoints: ${JSON.stringify(
        setup.stream === 'bulk'
          ? { bulk: setup.endpoints.bulk, general: setup.endpoints.general }
          : { send: setup.endpoints.send, general: setup.endpoints.general },
      )}`;
  const streamOption = setup.stream === 'bulk' ? `,\n  stream: 'bulk'` : '';
  const tokenComment = `// ${TOKEN_VARIABLE}=${setup.maskedToken}`;
  const core = `import { MailtrapClient } from '@mailtrap-kit/core';

${tokenComment}
const client = new MailtrapClient({
  token: process.env.${TOKEN_VARIABLE}${streamOption}${endpointsOption},
});
const { message_ids } = await client.send({
  from: { email: '${setup.from}' },
  to: [{ email: '${setup.to}' }],
  subject: 'Hello from mailtrap-kit',
  text: 'It works.',
  category: 'getting-started',
});`;
  const nodemailer = `import nodemailer from 'nodemailer';
import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';

${tokenComment}
const transport = nodemailer.createTransport(
  MailtrapTransport({ token: process.env.${TOKEN_VARIABLE}${streamOption}${endpointsOption.replace(/\n {2}/g, '\n    ')} }),
);
await transport.sendMail({
  from: '${setup.from}',
  to: '${setup.to}',
  subject: 'Hello from mailtrap-kit',
  text: 'It works.',
});`;
  const smtp = `# ${setup.mailtrap ? '' : "The emulator has no SMTP server; Mailtrap's settings for this stream:\n# "}host ${smtpHosts[setup.stream]}, port 587 (STARTTLS) or 465 (TLS), user api, password = the token
# ${TOKEN_VARIABLE}=${setup.maskedToken}
swaks --server ${smtpHosts[setup.stream]}:587 --tls --auth-user api --auth-password "$${TOKEN_VARIABLE}" \\
  --from ${setup.from} --to ${setup.to} --header 'Subject: Hello from mailtrap-kit' --body 'It works.'`;
  const curl = `# ${TOKEN_VARIABLE}=${setup.maskedToken}
curl -sS ${host}/api/send \\
  -H "Authorization: Bearer $${TOKEN_VARIABLE}" \\
  -H 'Content-Type: application/json' \\
  -d '{"from":{"email":"${setup.from}"},"to":[{"email":"${setup.to}"}],"subject":"Hello from mailtrap-kit","text":"It works.","category":"getting-started"}'`;
  return { core, nodemailer, smtp, curl };
}
