// Type tests: `sendMail` accepts Mailtrap's options once the package is imported, under
// Nodemailer 10's own types (tsconfig.v10.json) and @types/nodemailer for 9 (tsconfig.v9.json).
import nodemailer from 'nodemailer';
import { MailtrapTransport, type MailtrapSentMessageInfo } from '../../src/index';

const transporter = nodemailer.createTransport(MailtrapTransport({ token: 'token' }));

export async function send(): Promise<MailtrapSentMessageInfo> {
  await transporter.verify();
  await transporter.sendMail({
    from: 'a@example.com',
    to: 'b@example.com',
    subject: 'Hello',
    text: 'Hi',
    category: 'Welcome',
    customVariables: { user_id: '1' },
    custom_variables: { user_id: '1' },
  });
  await transporter.sendMail({
    from: 'a@example.com',
    to: 'b@example.com',
    templateUuid: 'uuid',
    templateVariables: { name: 'Ann', items: [1, 2] },
    template_uuid: 'uuid',
    template_variables: { nested: { ok: true } },
  });
  // @ts-expect-error category is a string
  await transporter.sendMail({ from: 'a@example.com', category: 1 });
  // @ts-expect-error custom variables are strings
  await transporter.sendMail({ from: 'a@example.com', customVariables: { id: 1 } });
  const info = (await transporter.sendMail({
    from: 'a@example.com',
    to: 'b@example.com',
    text: 'x',
  })) as MailtrapSentMessageInfo;
  return info;
}
