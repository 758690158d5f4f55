// Nodemailer 10's own types infer the transport's info type: no cast needed.
// (@types/nodemailer for Nodemailer 9 types every plugin transport's info as SMTP's, so there a
// cast is needed; see use.ts.)
import nodemailer from 'nodemailer';
import { MailtrapTransport } from '../../src/index';

const transporter = nodemailer.createTransport(MailtrapTransport({ token: 'token' }));

export async function ids(): Promise<string[]> {
  const info = await transporter.sendMail({
    from: 'a@example.com',
    to: 'b@example.com',
    text: 'x',
    category: 'c',
  });
  const envelopeTo: string[] = info.envelope.to;
  return [...info.messageIds, ...envelopeTo];
}
