// The typed send of packages/templates/README.md, as a user writes it under "module": "nodenext",
// against types that the installed `mailtrap-templates types` generated from ./templates.
import type { MailtrapClient } from '@mailtrap-kit/core';
import { passwordReset } from './mail-templates.js';

export async function sendReset(client: MailtrapClient): Promise<string[]> {
  const result = await client.send(
    passwordReset.message({
      from: { email: 'hello@example.com' },
      to: [{ email: 'ada@example.org' }],
      variables: { reset_link: 'https://example.com/r/abc', expires_in_minutes: 30 },
    }),
  );
  return result.message_ids;
}
