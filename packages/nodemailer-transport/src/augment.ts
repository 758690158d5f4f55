import type {} from 'nodemailer/lib/mailer';
import type { MailtrapMessageOptions } from './types';

// Lets `transporter.sendMail({ ..., category, customVariables, templateUuid, ... })` type-check.
// Nodemailer 10 ships its own types, where `Options` in this module is its `SendMailOptions`;
// Nodemailer 9 is typed by @types/nodemailer, where it is `Mail.Options`. The same augmentation
// reaches both.
declare module 'nodemailer/lib/mailer' {
  interface Options extends MailtrapMessageOptions {}
}
