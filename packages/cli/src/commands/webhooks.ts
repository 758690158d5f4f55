import {
  action,
  type CliIo,
  CliUsageError,
  type Command,
  formatTable,
  integerParser,
  keepSecret,
  Option,
  withExamples,
  writeJson,
  writeJsonLine,
} from '@mailtrap-kit/cli-kit';
import { WEBHOOK_EVENT_TYPES, type WebhookEvent, type WebhookInput } from '@mailtrap-kit/core';
import type { AccountApi } from '../account-api';
import { findDomain } from '../domain-lookup';
import { openSession, type Session } from '../session';
import { startWebhookReceiver } from '../webhook-receiver';
import { accountCommand, type Flags, within } from './shared';

const EVENT_TYPES: readonly string[] = WEBHOOK_EVENT_TYPES;
const SECRET_VARIABLE = 'MAILTRAP_WEBHOOK_SECRET';

function eventLine(event: WebhookEvent): string {
  const time = typeof event.timestamp === 'number' ? new Date(event.timestamp * 1000).toISOString() : '-';
  const extra = ['response', 'bounce_category', 'reason', 'url', 'ip']
    .filter((key) => event[key] !== undefined && event[key] !== null && event[key] !== '')
    .map((key) => `${key}=${String(event[key])}`);
  return [time, String(event.event).padEnd(14), event.email, event.message_id, ...extra].join('  ');
}

interface WebhookFlags extends Flags {
  stream?: 'transactional' | 'bulk';
  events?: string[];
  domain?: string;
  format: 'json' | 'jsonlines';
}

function eventsParser(value: string, previous: string[] | undefined): string[] {
  const events = value
    .split(',')
    .map((event) => event.trim())
    .filter(Boolean);
  for (const event of events) {
    if (!EVENT_TYPES.includes(event))
      throw new CliUsageError(`--events: unknown event type "${event}" (one of ${EVENT_TYPES.join(', ')})`, {
        option: '--events',
      });
  }
  return [...(previous ?? []), ...events];
}

async function webhookInput(api: AccountApi, url: string, flags: WebhookFlags): Promise<WebhookInput> {
  const input: WebhookInput = {
    url,
    webhook_type: 'email_sending',
    payload_format: flags.format,
    event_types: (flags.events?.length ? flags.events : EVENT_TYPES) as WebhookInput['event_types'],
  };
  if (flags.stream) input.sending_stream = flags.stream;
  if (flags.domain) input.domain_id = (await findDomain(api, flags.domain)).id;
  return input;
}

function addWebhookOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--stream <stream>', 'the sending stream whose events it receives')
        .choices(['transactional', 'bulk'])
        .default('transactional'),
    )
    .addOption(
      new Option(
        '--events <types>',
        `event types, comma-separated (default: all: ${EVENT_TYPES.join(', ')})`,
      ).argParser(eventsParser),
    )
    .addOption(new Option('--domain <domain>', 'only this sending domain, name or id (default: all)'))
    .addOption(
      new Option('--format <format>', 'payload format').choices(['json', 'jsonlines']).default('json'),
    );
}

interface ListenFlags extends WebhookFlags {
  port: number;
  host: string;
  path: string;
  secret?: string;
  create?: boolean;
  publicUrl?: string;
  maxEvents?: number;
}

/** Runs the receiver until Ctrl-C (or --max-events); with --create, a webhook for it lives as long. */
async function listen(io: CliIo, command: Command, flags: ListenFlags): Promise<number> {
  const given = flags.secret ?? io.env[SECRET_VARIABLE];
  if (!given && !flags.create) {
    throw new CliUsageError(
      `No signing secret: pass --secret <secret> or set ${SECRET_VARIABLE} (the signing_secret that webhooks create printed), or --create to make a webhook for this listener`,
      { option: '--secret' },
    );
  }
  if (given) keepSecret(command, given);
  let received = 0;
  let refused = 0;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const receiver = await startWebhookReceiver({
    ...(given ? { secret: given } : {}),
    port: flags.port,
    host: flags.host,
    path: flags.path,
    onDelivery: (delivery) => {
      if (!delivery.verified) {
        refused += 1;
        if (flags.json) writeJsonLine(io, { refused: delivery.reason });
        else io.stderr.write(`✖ refused a delivery: ${delivery.reason} (answered 401)\n`);
        return;
      }
      for (const event of delivery.events) {
        received += 1;
        if (flags.json) writeJsonLine(io, event);
        else io.stdout.write(`✔ ${eventLine(event)}\n`);
      }
      if (flags.maxEvents !== undefined && received >= flags.maxEvents) finish();
    },
  });
  let session: Session | undefined;
  let webhookId: number | undefined;
  const onSignal = () => finish();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (flags.create) {
      session = openSession(command, flags);
      const url = flags.publicUrl ?? receiver.url;
      const created = await session.api.webhooks.create(await webhookInput(session.api, url, flags));
      webhookId = created.data?.id;
      const secret = created.data?.signing_secret;
      if (!secret) throw new CliUsageError('The account created the webhook but returned no signing_secret');
      keepSecret(command, secret);
      receiver.setSecret(secret);
      (flags.json ? io.stderr : io.stdout).write(
        `Created webhook ${webhookId} for ${url} (deleted when this stops).\n`,
      );
    }
    (flags.json ? io.stderr : io.stdout).write(
      `Listening on ${receiver.url}, verifying Mailtrap-Signature. Press Ctrl+C to stop.\n`,
    );
    await finished;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await receiver.close();
    if (session) {
      if (webhookId !== undefined) await session.api.webhooks.delete(webhookId).catch(() => undefined);
      await session.close();
    }
  }
  (flags.json ? io.stderr : io.stdout).write(
    `Stopped: ${received} event${received === 1 ? '' : 's'} received, ${refused} refused.\n`,
  );
  return 0;
}

/** `mailtrap-kit webhooks list|create|delete|listen`. */
export function registerWebhooks(program: Command, io: CliIo): void {
  const webhooks = program
    .command('webhooks')
    .description(
      'webhooks: list, create, delete, and listen (a local receiver that verifies Mailtrap-Signature)',
    );

  withExamples(
    accountCommand(webhooks, 'list', 'the webhooks of the account').action(
      action((flags: Flags, command) =>
        within(command, flags, async ({ api }) => {
          const data = (await api.webhooks.list()).data ?? [];
          if (flags.json) return writeJson(io, data);
          io.stdout.write(
            formatTable(
              data,
              [
                { header: 'Id', value: (webhook) => webhook.id, align: 'right' },
                { header: 'Url', value: (webhook) => webhook.url },
                { header: 'Active', value: (webhook) => (webhook.active === false ? 'no' : 'yes') },
                { header: 'Stream', value: (webhook) => webhook.sending_stream },
                { header: 'Domain', value: (webhook) => webhook.domain_id ?? 'all' },
                { header: 'Format', value: (webhook) => webhook.payload_format },
                { header: 'Events', value: (webhook) => webhook.event_types },
              ],
              'No webhooks.',
            ),
          );
        }),
      ),
    ),
    'mailtrap-kit webhooks list',
  );

  withExamples(
    addWebhookOptions(
      accountCommand(webhooks, 'create', 'create a webhook; its signing secret is printed once'),
    )
      .argument('<url>', 'where Mailtrap POSTs the events')
      .action(
        action((flags: WebhookFlags, command, url) =>
          within(command, flags, async ({ api }) => {
            const created = await api.webhooks.create(await webhookInput(api, url!, flags));
            const webhook = created.data ?? {};
            if (flags.json) return writeJson(io, webhook);
            io.stdout.write(`Created webhook ${webhook.id} for ${webhook.url}.\n\n`);
            io.stdout.write(`  signing secret: ${webhook.signing_secret}\n\n`);
            io.stdout.write(
              `The secret is shown only now: verify deliveries with it (mailtrap-kit webhooks listen --secret ..., or core's verifyWebhookSignature).\n`,
            );
          }),
        ),
      ),
    'mailtrap-kit webhooks create https://example.com/hooks/mailtrap --events delivery,bounce --stream transactional',
  );

  withExamples(
    accountCommand(webhooks, 'delete', 'delete a webhook')
      .argument('<id>', 'webhook id (see webhooks list)')
      .action(
        action((flags: Flags, command, id) =>
          within(command, flags, async ({ api }) => {
            await api.webhooks.delete(Number(id));
            if (flags.json) return writeJson(io, { deleted: Number(id) });
            io.stdout.write(`Deleted webhook ${id}.\n`);
          }),
        ),
      ),
    'mailtrap-kit webhooks delete 7',
  );

  withExamples(
    addWebhookOptions(
      accountCommand(
        webhooks,
        'listen',
        'a local receiver: verifies Mailtrap-Signature on each delivery and prints its events (for the emulator, or a tunnel to Mailtrap)',
      ),
    )
      .addOption(
        new Option('--port <port>', 'port to listen on (0 picks a free one)')
          .argParser(integerParser(0, 65535))
          .default(4026),
      )
      .addOption(new Option('--host <address>', 'interface to bind').default('127.0.0.1'))
      .addOption(new Option('--path <path>', 'path deliveries are POSTed to').default('/'))
      .addOption(
        new Option(
          '--secret <secret>',
          `the webhook's signing secret (default: $${SECRET_VARIABLE}); never printed`,
        ),
      )
      .addOption(
        new Option(
          '--create',
          'create a webhook for this listener (its secret is used), deleted when it stops',
        ),
      )
      .addOption(
        new Option(
          '--public-url <url>',
          'with --create: the URL Mailtrap reaches the listener at (a tunnel); default the local URL',
        ),
      )
      .addOption(new Option('--max-events <n>', 'stop after this many events').argParser(integerParser(1)))
      .action(action((flags: ListenFlags, command) => listen(io, command, flags))),
    'mailtrap-kit webhooks listen --create --endpoint http://127.0.0.1:4025',
    'mailtrap-kit webhooks listen --port 4026 --secret "$MAILTRAP_WEBHOOK_SECRET"   # behind a tunnel',
  );
}
