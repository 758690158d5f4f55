// Run by Deno with an `--allow-net` that leaves out the endpoint's host: one send as core's README
// writes it (token and endpoint from the environment), the error it fails with printed as JSON
// after the report marker.
import { MailtrapClient, MailtrapConfigurationError, MailtrapError } from '@mailtrap-kit/core';
import { reportMarker } from './report-marker.ts';

const client = new MailtrapClient();
try {
  await client.send({
    from: { email: 'hello@example.com' },
    to: [{ email: 'someone@example.org' }],
    subject: 'Never sent',
    text: 'Deno refuses the connection',
  });
  console.log(`${reportMarker}${JSON.stringify({ sent: true })}`);
} catch (error) {
  const typed = MailtrapError.isInstance(error);
  console.log(
    `${reportMarker}${JSON.stringify({
      sent: false,
      mailtrapError: typed,
      configurationError: MailtrapConfigurationError.isInstance(error),
      error: typed ? error.toJSON() : String(error),
    })}`,
  );
} finally {
  await client.close();
}
