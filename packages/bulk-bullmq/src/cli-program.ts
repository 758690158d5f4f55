import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { readCsvRecipients, readNdjsonRecipients } from '@mailtrap-kit/bulk-batcher';
import {
  addConnectionOptions,
  action,
  type CliIo,
  type Command,
  type ConnectionFlags,
  CliUsageError,
  clientOptions,
  createProgram,
  durationOption,
  durationParser,
  integerParser,
  jsonOption,
  Option,
  parseRate,
  type Rate,
  rateOption,
  resolveConnection,
  withExamples,
  writeJsonLine,
} from '@mailtrap-kit/cli-kit';
import { Redis } from 'ioredis';
import { version } from '../package.json';
import { createBulkQueue } from './queue';
import {
  type CampaignStatus,
  campaignResults,
  campaignStatus,
  defaultPrefix,
  defaultQueueName,
} from './store';
import { createBulkWorker } from './worker';

const NAME = 'mailtrap-bulk-bullmq';

interface RedisFlags {
  redis?: string;
  queue: string;
  prefix: string;
}

/** `--redis`, `--queue`, `--prefix`: where the campaign lives; on every command. */
function addRedisOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--redis <url>',
        'the Redis of the queue and the campaign state (default: $REDIS_URL, else redis://127.0.0.1:6379)',
      ),
    )
    .addOption(
      new Option('--queue <name>', 'the BullMQ queue: one per sending token').default(defaultQueueName),
    )
    .addOption(new Option('--prefix <prefix>', 'the prefix of the campaign keys').default(defaultPrefix));
}

function redisUrl(io: CliIo, flags: RedisFlags): string {
  return flags.redis ?? io.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Runs `use` with a queue handle on the command's Redis, closed after. */
async function withQueue<T>(
  io: CliIo,
  flags: RedisFlags,
  use: (bulk: ReturnType<typeof createBulkQueue>) => Promise<T>,
): Promise<T> {
  const bulk = createBulkQueue({
    connection: redisUrl(io, flags),
    prefix: flags.prefix,
    queueName: flags.queue,
  });
  try {
    return await use(bulk);
  } finally {
    await bulk.close();
  }
}

function formatStatus(status: CampaignStatus): string {
  const { recipients, chunks } = status;
  const finished = recipients.total - recipients.pending;
  const percent = recipients.total > 0 ? ((finished / recipients.total) * 100).toFixed(1) : '0.0';
  return [
    `campaign ${status.campaign}: ${status.status}${status.pausedReason ? ` (${status.pausedReason})` : ''}${status.produced ? '' : ' (still producing)'}`,
    `  recipients ${recipients.total}: sent ${recipients.sent}, failed ${recipients.failed}, uncertain ${recipients.uncertain}, unsent ${recipients.unsent}, pending ${recipients.pending} (${percent}% final)`,
    `  chunks ${chunks.total}: done ${chunks.done}, in flight ${chunks.inflight}, settled through Email Logs ${chunks.settled}`,
    `  created ${status.createdAt}, updated ${status.updatedAt}${status.finishedAt ? `, finished ${status.finishedAt}` : ''}`,
  ].join('\n');
}

/** A hidden option under a name this command had before; the action reads it when the new one is not given. */
function formerName(flags: string, meaning: string): Option {
  return new Option(flags, `the former name of ${meaning}`).hideHelp();
}

interface ProduceFlags extends RedisFlags {
  campaign?: string;
  base?: string;
  recipients?: string;
  batchSize?: number;
  maxQueuedChunks?: number;
  resendUnsent?: boolean;
  allowDuplicates?: boolean;
}

function produceCommand(program: Command, io: CliIo): void {
  withExamples(
    addRedisOptions(
      program
        .command('produce')
        .description(
          "queue a campaign's recipients in chunks for the workers (again: only what is not final yet)",
        )
        .addOption(new Option('--campaign <id>', 'the campaign id (producing it again resumes it)'))
        .addOption(
          new Option(
            '--base <message.json>',
            'the message every recipient gets (from, subject, text/html or template_uuid)',
          ),
        )
        .addOption(
          new Option('--recipients <file>', 'CSV (.csv) or NDJSON, as mailtrap-bulk send reads them'),
        )
        .addOption(
          new Option('--batch-size <n>', 'recipients per chunk (one batch request)')
            .argParser(integerParser(1, 500))
            .default(500),
        )
        .addOption(
          new Option('--max-queued-chunks <n>', 'chunks waiting in Redis at most (back-pressure)')
            .argParser(integerParser(1))
            .default(1000),
        )
        .addOption(new Option('--resend-unsent', 'queue again the recipients Email Logs proved unsent'))
        .addOption(
          new Option(
            '--allow-duplicates',
            'send a repeated address again (default: it is skipped and counted)',
          ),
        ),
    ).action(
      action(async (flags: ProduceFlags) => {
        const { campaign } = flags;
        if (!campaign) throw new CliUsageError('produce needs --campaign <id>', { option: '--campaign' });
        if (!flags.base)
          throw new CliUsageError('produce needs --base <message.json> (the shared message)', {
            option: '--base',
          });
        if (!flags.recipients)
          throw new CliUsageError('produce needs --recipients <list.csv|list.ndjson>', {
            option: '--recipients',
          });
        let base: unknown;
        try {
          base = JSON.parse(await readFile(flags.base, 'utf8'));
        } catch (error) {
          throw new CliUsageError(`--base ${flags.base}: ${(error as Error).message}`, {
            option: '--base',
            cause: error,
          });
        }
        const recipients = /\.csv$/i.test(flags.recipients)
          ? readCsvRecipients(flags.recipients)
          : readNdjsonRecipients(flags.recipients);
        await withQueue(io, flags, async (bulk) => {
          const result = await bulk.produce({
            campaign,
            base: base as Parameters<typeof bulk.produce>[0]['base'],
            recipients,
            batchSize: flags.batchSize,
            maxQueuedChunks: flags.maxQueuedChunks,
            resendUnsent: flags.resendUnsent === true,
            allowDuplicates: flags.allowDuplicates === true,
          });
          const skipped =
            result.duplicates > 0
              ? `; ${result.duplicates} duplicate address${result.duplicates === 1 ? '' : 'es'} skipped (send them with --allow-duplicates)`
              : '';
          io.stdout.write(
            `campaign ${result.campaign}: ${result.recipients} recipients in ${result.chunks} chunks; queued ${result.enqueued}, already finished ${result.finished} (${result.status})${skipped}\n`,
          );
        });
      }),
    ),
    `${NAME} produce --campaign spring --base spring.json --recipients subscribers.csv`,
  );
}

interface WorkFlags extends RedisFlags, ConnectionFlags {
  concurrency: number;
  rate: Rate | false;
  rateLimit?: Rate | false;
  safetyMargin: number;
  safetyMarginMs?: number;
  bulkUrl?: string;
  apiUrl?: string;
  settleDelay: number;
  settleDelayMs?: number;
  emailLogsRate: Rate | false;
  emailLogsLimit?: Rate | false;
  lockDuration: number;
  lockDurationMs?: number;
  stalledInterval: number;
  stalledIntervalMs?: number;
}

const formerNames = `
Former names, still read: --rate-limit (--rate), --bulk-url (--bulk-endpoint), --api-url
(--general-endpoint), --email-logs-limit (--email-logs-rate), and --safety-margin-ms,
--settle-delay-ms, --lock-duration-ms, --stalled-interval-ms (the same without -ms: a duration
like 30s, or milliseconds).`;

function workCommand(program: Command, io: CliIo): void {
  const work = program
    .command('work')
    .description(
      'send the queued chunks until Ctrl-C (chunks in progress finish first); run as many as you like',
    )
    .addOption(
      new Option('--concurrency <n>', 'chunks this process sends at once')
        .argParser(integerParser(1, 64))
        .default(4),
    )
    .addOption(
      rateOption(
        { requests: 150, windowMs: 10_000 },
        "the token's requests per window, shared by every worker in Redis (Mailtrap's limit)",
      ),
    )
    .addOption(durationOption('--safety-margin <duration>', 'kept free in each window', 250))
    .addOption(
      durationOption(
        '--settle-delay <duration>',
        'wait before asking Email Logs about uncertain chunks',
        30_000,
      ),
    )
    .addOption(
      new Option(
        '--email-logs-rate <rate>',
        "Email Logs list requests for settlement, shared in Redis (Mailtrap's limit per account; <requests>/<window> or off)",
      )
        .argParser(parseRate)
        .default({ requests: 60, windowMs: 60_000 }, '60/1m'),
    )
    .addOption(
      durationOption('--lock-duration <duration>', "a chunk's lock, renewed while the worker lives", 30_000),
    )
    .addOption(
      durationOption(
        '--stalled-interval <duration>',
        'how often chunks of dead workers are looked for',
        30_000,
      ),
    );
  addConnectionOptions(work, { hosts: ['bulk', 'general'] });
  addRedisOptions(work);
  for (const option of [
    formerName('--rate-limit <rate>', '--rate').argParser(parseRate),
    formerName('--bulk-url <url>', '--bulk-endpoint'),
    formerName('--api-url <url>', '--general-endpoint'),
    formerName('--email-logs-limit <rate>', '--email-logs-rate').argParser(parseRate),
    formerName('--safety-margin-ms <ms>', '--safety-margin').argParser(durationParser),
    formerName('--settle-delay-ms <ms>', '--settle-delay').argParser(durationParser),
    formerName('--lock-duration-ms <ms>', '--lock-duration').argParser(durationParser),
    formerName('--stalled-interval-ms <ms>', '--stalled-interval').argParser(durationParser),
  ])
    work.addOption(option);
  work.addHelpText('after', formerNames).action(
    action(async (flags: WorkFlags, command) => {
      const connection = resolveConnection(command, {
        ...flags,
        bulkEndpoint: flags.bulkEndpoint ?? flags.bulkUrl,
        generalEndpoint: flags.generalEndpoint ?? flags.apiUrl,
      });
      const rate = flags.rateLimit ?? flags.rate;
      if (!rate)
        throw new CliUsageError(
          'the workers always pace the token (the shared limit is how they coordinate): give a rate, e.g. --rate 1000/1s for an emulator',
          { option: '--rate' },
        );
      const worker = createBulkWorker({
        connection: redisUrl(io, flags),
        prefix: flags.prefix,
        queueName: flags.queue,
        client: clientOptions(connection, `${NAME}/${version}`),
        rateLimit: { ...rate, safetyMarginMs: flags.safetyMarginMs ?? flags.safetyMargin },
        concurrency: flags.concurrency,
        settleDelayMs: flags.settleDelayMs ?? flags.settleDelay,
        lockDurationMs: flags.lockDurationMs ?? flags.lockDuration,
        stalledIntervalMs: flags.stalledIntervalMs ?? flags.stalledInterval,
        emailLogsRateLimit: flags.emailLogsLimit ?? flags.emailLogsRate,
      });
      await worker.worker.waitUntilReady();
      io.stdout.write(
        `worker ${worker.workerId} ready on queue ${flags.queue}, sending on the bulk stream via ${connection.endpoints.bulk}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          io.stdout.write(`worker ${worker.workerId} stopping after the chunks in progress\n`);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await worker.close();
    }),
  );
  withExamples(
    work,
    `MAILTRAP_API_TOKEN=... ${NAME} work --concurrency 4`,
    `${NAME} work --endpoint http://127.0.0.1:4025 --rate 1000/1s   # against mailtrap-emulator`,
  );
}

function campaignCommand(program: Command, name: string, description: string): Command {
  return addRedisOptions(
    program.command(name).description(description).argument('<campaign>', 'the campaign id'),
  );
}

function readCommands(program: Command, io: CliIo): void {
  withExamples(
    campaignCommand(program, 'status', 'counts by state and progress')
      .addOption(jsonOption('print the status as JSON (one line per look with --watch)'))
      .addOption(new Option('--watch', 'look again every 2 s until the campaign is finished'))
      .action(
        action(async (flags: RedisFlags & { json?: boolean; watch?: boolean }, _command, campaign) => {
          const redis = new Redis(redisUrl(io, flags));
          try {
            for (;;) {
              const status = await campaignStatus(redis, campaign!, { prefix: flags.prefix });
              if (flags.json) writeJsonLine(io, status);
              else io.stdout.write(`${formatStatus(status)}\n`);
              if (!flags.watch || status.finishedAt) break;
              await new Promise((resolve) => setTimeout(resolve, 2_000));
            }
          } finally {
            await redis.quit();
          }
        }),
      ),
    `${NAME} status spring --watch`,
  );
  withExamples(
    campaignCommand(program, 'results', 'final per-recipient results in recipient order, as NDJSON')
      .addOption(new Option('--output <file>', 'write them to a file (default: stdout)'))
      .action(
        action(async (flags: RedisFlags & { output?: string }, _command, campaign) => {
          const redis = new Redis(redisUrl(io, flags));
          const file = flags.output ? createWriteStream(flags.output) : undefined;
          try {
            for await (const result of campaignResults(redis, campaign!, { prefix: flags.prefix })) {
              const line = `${JSON.stringify(result)}\n`;
              if (!file) io.stdout.write(line);
              else if (!file.write(line)) await once(file, 'drain');
            }
          } finally {
            await redis.quit();
            if (file) {
              file.end();
              await once(file, 'finish');
            }
          }
        }),
      ),
    `${NAME} results spring --output spring.results.ndjson`,
  );
}

function controlCommands(program: Command, io: CliIo): void {
  for (const [name, description] of [
    ['pause', 'stop sending new chunks (chunks in progress finish)'],
    ['resume', 'send again after a pause'],
    ['cancel', 'stop for good: queued chunks end unsent (cancelled)'],
  ] as const) {
    campaignCommand(program, name, description).action(
      action(async (flags: RedisFlags, _command, campaign) => {
        const result = await withQueue(io, flags, (bulk) => bulk[name](campaign!));
        io.stdout.write(
          `campaign ${campaign}: ${result.previous} -> ${result.status}${result.chunks ? ` (${result.chunks} queued chunks ${name === 'cancel' ? 'cancelled' : 'resumed'})` : ''}\n`,
        );
      }),
    );
  }
  campaignCommand(program, 'remove', "delete a finished campaign's state and results from Redis").action(
    action(async (flags: RedisFlags, _command, campaign) => {
      await withQueue(io, flags, (bulk) => bulk.remove(campaign!));
      io.stdout.write(`campaign ${campaign}: removed\n`);
    }),
  );
}

/** The `mailtrap-bulk-bullmq` program on cli-kit's shared options, writing to `io`. */
export function createBullmqProgram(io: CliIo): Command {
  const program = createProgram({
    name: NAME,
    version,
    description:
      'Send a campaign from many processes through a BullMQ queue in Redis: produce it once, run workers, follow it with status.',
    io,
    exitCodes: { failure: 'failure: Redis or the API refused, an unknown campaign' },
  });
  produceCommand(program, io);
  workCommand(program, io);
  readCommands(program, io);
  controlCommands(program, io);
  withExamples(program, `${NAME} produce --campaign spring --base spring.json --recipients subscribers.csv`);
  return program;
}
