import { MailtrapTransport, type MailtrapTransportSettings } from '@mailtrap-kit/nodemailer-transport';
import nodemailer from 'nodemailer';

export interface ExampleOptions {
  token: string;
  /** Base URLs of a Mailtrap-compatible API (the emulator); omit them to send through Mailtrap. */
  endpoints?: MailtrapTransportSettings['endpoints'];
  from: { email: string; name?: string };
  to: { email: string; name?: string };
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

/** An order confirmation with attachments, then 20 password-reset emails sent at once, micro-batched. */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { token, endpoints, log = console.log } = options;
  const from = `"${options.from.name ?? 'Acme'}" <${options.from.email}>`;
  const to = options.to.email;
  const result: ExampleResult = { sent: 0, failed: 0 };

  // Your Nodemailer code as it is; only this line changes (it was an SMTP host, port and auth).
  // `endpoints` points it at the emulator; without them it sends through Mailtrap.
  // `from` makes verify() check that its domain is a verified sending domain, not just the token.
  const transporter = nodemailer.createTransport(MailtrapTransport({ token, endpoints, from }));
  await transporter.verify().catch((error: unknown) => {
    transporter.close();
    throw error;
  });
  log('verify: the token is accepted and the sending domain is verified');

  const info = await transporter.sendMail({
    from,
    to,
    subject: 'Order #1042 confirmed',
    text: 'Thanks for your order. Your invoice is attached.',
    html: '<p>Thanks for your order.</p><img src="cid:logo@acme" alt="Acme"><p>Your invoice is attached.</p>',
    attachments: [
      { filename: 'invoice-1042.txt', content: 'Invoice #1042\nAnalytical Engine  £17,000\n' },
      { filename: 'logo.svg', content: Buffer.from(logoSvg), cid: 'logo@acme' },
    ],
    headers: { 'X-Order-Id': '1042' },
  });
  log(`order confirmation: ${info.response}`);
  result.sent += 1;
  transporter.close();

  // Many emails at once? Turn on micro-batching: concurrent sendMail calls share /api/batch requests.
  const batching = nodemailer.createTransport(MailtrapTransport({ token, endpoints, batching: true }));
  const resets = Array.from({ length: 20 }, (_, index) =>
    batching.sendMail({
      from,
      to: plusAddress(to, `reset${index + 1}`),
      subject: 'Reset your password',
      text: `Your reset code is ${String(100000 + index * 7919).slice(-6)}.`,
    }),
  );
  for (const outcome of await Promise.allSettled(resets)) {
    if (outcome.status === 'fulfilled') result.sent += 1;
    else {
      result.failed += 1;
      log(`password reset failed: ${outcome.reason}`);
    }
  }
  log(`password resets: ${result.sent - 1} of ${resets.length} accepted`);
  batching.close();
  return result;
}

/** ada@example.org -> ada+tag@example.org: distinct recipients that all reach one mailbox. */
function plusAddress(address: string, tag: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${tag}${address.slice(at)}`;
}

const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><text x="0" y="24" font-size="24">Acme</text></svg>';
