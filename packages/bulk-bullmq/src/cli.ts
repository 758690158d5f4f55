#!/usr/bin/env node
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { BulkInputError, readCsvRecipients, readNdjsonRecipients } from '@mailtrap-kit/bulk-batcher';
import { Redis } from 'ioredis';
import { createBulkQueue } from './queue';
import {
  type CampaignStatus,
  campaignResults,
  campaignStatus,
  defaultPrefix,
  defaultQueueName,
} from './store';
import { createBulkWorker } from './worker';

const usage = `Usage: mailtrap-bulk-bullmq <command> [options]

Commands:
  produce --campaign <id> --base <message.json> --recipients <list.csv|list.ndjson>
          [--batch-size 500] [--resend-unsent] [--max-queued-chunks 1000]
  work    [--concurrency 4] [--rate-limit 150/10s] [--safety-margin-ms 250]
          [--bulk-url <url>] [--api-url <url>] [--settle-delay-ms 30000]
          [--email-logs-limit 60/60s|off] [--lock-duration-ms 30000] [--stalled-interval-ms 30000]
  status  <campaign> [--json] [--watch]
  pause   <campaign>
  resume  <campaign>
  cancel  <campaign>
  results <campaign> [--output results.ndjson]
  remove  <campaign>   (deletes a finished campaign's state and results from Redis)

Everywhere: --redis <url> (default $REDIS_URL or redis://127.0.0.1:6379),
            --queue <name> (default ${defaultQueueName}), --prefix <prefix> (default ${defaultPrefix}).
The API token comes from $MAILTRAP_API_TOKEN only (never a flag, so it stays out of shell history).
`;

/** Bad arguments: exit 2, nothing done. */
class UsageError extends BulkInputError {
  constructor(message: string) {
    super(message, 'arguments');
  }
}

function parseRate(value: string, name: string): { requests: number; windowMs: number } {
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim());
  if (!match)
    throw new UsageError(`${name} must look like 150/10s, 40/1s or 60/60000ms, got ${JSON.stringify(value)}`);
  const amount = Number(match[2]);
  const unit = match[3] ?? 's';
  const windowMs = unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1_000;
  return { requests: Number(match[1]), windowMs: Math.round(windowMs) };
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new UsageError(`${name} must be a whole number, got ${value}`);
  return parsed;
}

function formatStatus(status: CampaignStatus): string {
  const { recipients, chunks } = status;
  const finished = recipients.total - recipients.pending;
  const percent = recipients.total > 0 ? ((finished / recipients.total) * 100).toFixed(1) : '0.0';
  const lines = [
    `campaign ${status.campaign}: ${status.status}${status.pausedReason ? ` (${status.pausedReason})` : ''}${status.produced ? '' : ' (still producing)'}`,
    `  recipients ${recipients.total}: sent ${recipients.sent}, failed ${recipients.failed}, uncertain ${recipients.uncertain}, unsent ${recipients.unsent}, pending ${recipients.pending} (${percent}% final)`,
    `  chunks ${chunks.total}: done ${chunks.done}, in flight ${chunks.inflight}, settled through Email Logs ${chunks.settled}`,
    `  created ${status.createdAt}, updated ${status.updatedAt}${status.finishedAt ? `, finished ${status.finishedAt}` : ''}`,
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      queue: { type: 'string' },
      prefix: { type: 'string' },
      campaign: { type: 'string' },
      base: { type: 'string' },
      recipients: { type: 'string' },
      'batch-size': { type: 'string' },
      'resend-unsent': { type: 'boolean' },
      'max-queued-chunks': { type: 'string' },
      concurrency: { type: 'string' },
      'rate-limit': { type: 'string' },
      'safety-margin-ms': { type: 'string' },
      'bulk-url': { type: 'string' },
      'api-url': { type: 'string' },
      'settle-delay-ms': { type: 'string' },
      'email-logs-limit': { type: 'string' },
      'lock-duration-ms': { type: 'string' },
      'stalled-interval-ms': { type: 'string' },
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const connection = values.redis ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = values.prefix ?? defaultPrefix;
  const queueName = values.queue ?? defaultQueueName;
  const needCampaign = () => {
    if (!target)
      throw new UsageError(`${command} needs a campaign id: mailtrap-bulk-bullmq ${command} <campaign>`);
    return target;
  };

  switch (command) {
    case 'produce': {
      if (!values.campaign) throw new UsageError('produce needs --campaign <id>');
      if (!values.base) throw new UsageError('produce needs --base <message.json> (the shared message)');
      if (!values.recipients) throw new UsageError('produce needs --recipients <list.csv|list.ndjson>');
      const base = JSON.parse(await readFile(values.base, 'utf8'));
      const recipients = /\.csv$/i.test(values.recipients)
        ? readCsvRecipients(values.recipients)
        : readNdjsonRecipients(values.recipients);
      const bulk = createBulkQueue({ connection, prefix, queueName });
      try {
        const result = await bulk.produce({
          campaign: values.campaign,
          base,
          recipients,
          batchSize: integer(values['batch-size'], '--batch-size'),
          maxQueuedChunks: integer(values['max-queued-chunks'], '--max-queued-chunks'),
          resendUnsent: values['resend-unsent'] === true,
        });
        process.stdout.write(
          `campaign ${result.campaign}: ${result.recipients} recipients in ${result.chunks} chunks; queued ${result.enqueued}, already finished ${result.finished} (${result.status})\n`,
        );
      } finally {
        await bulk.close();
      }
      return 0;
    }
    case 'work': {
      const emailLogs = values['email-logs-limit'];
      const endpoints: Record<string, string> = {};
      if (values['bulk-url']) endpoints.bulk = values['bulk-url'];
      if (values['api-url']) endpoints.general = values['api-url'];
      const rate = values['rate-limit'] ? parseRate(values['rate-limit'], '--rate-limit') : undefined;
      const worker = createBulkWorker({
        connection,
        prefix,
        queueName,
        client: Object.keys(endpoints).length > 0 ? { endpoints } : {},
        rateLimit: { ...rate, safetyMarginMs: integer(values['safety-margin-ms'], '--safety-margin-ms') },
        concurrency: integer(values.concurrency, '--concurrency'),
        settleDelayMs: integer(values['settle-delay-ms'], '--settle-delay-ms'),
        lockDurationMs: integer(values['lock-duration-ms'], '--lock-duration-ms'),
        stalledIntervalMs: integer(values['stalled-interval-ms'], '--stalled-interval-ms'),
        emailLogsRateLimit:
          emailLogs === undefined
            ? undefined
            : emailLogs === 'off'
              ? false
              : parseRate(emailLogs, '--email-logs-limit'),
      });
      await worker.worker.waitUntilReady();
      process.stdout.write(`worker ${worker.workerId} ready on queue ${queueName}\n`);
      const stop = async () => {
        process.stdout.write(`worker ${worker.workerId} stopping after the chunks in progress\n`);
        await worker.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise(() => undefined);
      return 0;
    }
    case 'status': {
      const campaign = needCampaign();
      const redis = new Redis(connection);
      try {
        for (;;) {
          const status = await campaignStatus(redis, campaign, { prefix });
          process.stdout.write(values.json ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
          if (!values.watch || status.finishedAt) break;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      } finally {
        await redis.quit();
      }
      return 0;
    }
    case 'remove': {
      const campaign = needCampaign();
      const bulk = createBulkQueue({ connection, prefix, queueName });
      try {
        await bulk.remove(campaign);
        process.stdout.write(`campaign ${campaign}: removed\n`);
      } finally {
        await bulk.close();
      }
      return 0;
    }
    case 'pause':
    case 'resume':
    case 'cancel': {
      const campaign = needCampaign();
      const bulk = createBulkQueue({ connection, prefix, queueName });
      try {
        const result = await bulk[command](campaign);
        process.stdout.write(
          `campaign ${campaign}: ${result.previous} -> ${result.status}${result.chunks ? ` (${result.chunks} queued chunks ${command === 'cancel' ? 'cancelled' : 'resumed'})` : ''}\n`,
        );
      } finally {
        await bulk.close();
      }
      return 0;
    }
    case 'results': {
      const campaign = needCampaign();
      const redis = new Redis(connection);
      const output = values.output ? createWriteStream(values.output) : process.stdout;
      try {
        for await (const result of campaignResults(redis, campaign, { prefix })) {
          if (!output.write(`${JSON.stringify(result)}\n`)) await once(output, 'drain');
        }
      } finally {
        await redis.quit();
        if (output !== process.stdout) {
          (output as NodeJS.WritableStream).end();
          await once(output, 'finish');
        }
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mailtrap-bulk-bullmq: ${message}\n`);
    process.exitCode =
      BulkInputError.isInstance(error) ||
      (error as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? 2
        : 1;
  },
);
