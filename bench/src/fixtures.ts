/** The message every CPU case sends: small, one recipient, text and HTML, like a typical notification. */
export const benchMail = {
  from: { email: 'bench@example.com', name: 'Benchmark' },
  to: [{ email: 'recipient@example.com', name: 'Recipient' }],
  subject: 'Your benchmark receipt',
  text: 'Hello,\n\nThis is the benchmark message. It is short, like most notifications.\n\nThanks',
  html: '<p>Hello,</p><p>This is the <b>benchmark</b> message. It is short, like most notifications.</p><p>Thanks</p>',
  category: 'bench',
};

/** The same message as Nodemailer options. */
export const benchNodemailerMessage = {
  from: '"Benchmark" <bench@example.com>',
  to: '"Recipient" <recipient@example.com>',
  subject: benchMail.subject,
  text: benchMail.text,
  html: benchMail.html,
};

/** A token for the static server (it does not check it); the emulator hands out its own. */
export const staticToken = 'bench-token-0123456789abcdef';

export interface LoadSettings {
  url: string;
  token: string;
  sends: number;
  warmup: number;
  concurrency: number;
}
