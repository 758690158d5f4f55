import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BulkInputError } from './errors';
import { summarizeJournal } from './journal';

export const statusUsage = `Usage:
  mailtrap-bulk status --journal <file>           counts by state from a run's journal
  mailtrap-bulk status <campaign> [--redis <url>] a @mailtrap-kit/bulk-bullmq campaign
      [--prefix <prefix>] [--json]

<campaign> needs --redis <url> or REDIS_URL, and @mailtrap-kit/bulk-bullmq installed next to
this package (npm install @mailtrap-kit/bulk-bullmq).`;

export interface StatusOptions {
  campaign?: string;
  journal?: string;
  redis?: string;
  prefix?: string;
  json: boolean;
}

/** Parses `mailtrap-bulk status` arguments (after the command). Throws BulkInputError naming the option. */
export function parseStatusArguments(argv: string[], env: Record<string, string | undefined>): StatusOptions {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        journal: { type: 'string' },
        redis: { type: 'string' },
        prefix: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new BulkInputError((error as Error).message, 'arguments');
  }
  if (positionals.length > 1)
    throw new BulkInputError(`status takes one campaign id (got ${positionals.join(' ')})`, 'campaign');
  const options: StatusOptions = { json: values.json === true };
  const campaign = positionals[0];
  const journal = values.journal as string | undefined;
  if (campaign !== undefined && journal !== undefined)
    throw new BulkInputError(
      'give either a campaign id (with Redis) or --journal <file>, not both',
      'journal',
    );
  if (campaign === undefined && journal === undefined)
    throw new BulkInputError(
      'status needs --journal <file> (a mailtrap-bulk send run) or a campaign id with --redis <url> / REDIS_URL',
      'campaign',
    );
  if (journal !== undefined) {
    if (values.redis !== undefined || values.prefix !== undefined)
      throw new BulkInputError('--redis and --prefix apply to a campaign id, not to --journal', 'redis');
    options.journal = journal;
    return options;
  }
  options.campaign = campaign;
  const redis = (values.redis as string | undefined) ?? env.REDIS_URL;
  if (!redis)
    throw new BulkInputError(
      `campaign ${JSON.stringify(campaign)} lives in Redis: give --redis <url> or set REDIS_URL (or use --journal <file> for a mailtrap-bulk send run)`,
      'redis',
    );
  if (!/^rediss?:\/\//.test(redis))
    throw new BulkInputError(
      `--redis must be a redis:// or rediss:// URL (got ${JSON.stringify(redis)})`,
      'redis',
    );
  options.redis = redis;
  if (values.prefix !== undefined) options.prefix = values.prefix as string;
  return options;
}

/** The part of @mailtrap-kit/bulk-bullmq this command uses. */
interface BullmqModule {
  createBulkQueue(settings: { connection: string; prefix?: string }): {
    redis: unknown;
    queue?: { waitUntilReady?(): Promise<unknown> };
    close(): Promise<void>;
  };
  campaignStatus(
    redis: unknown,
    campaign: string,
    options?: { prefix?: string },
  ): Promise<CampaignStatusLike>;
}

interface CampaignStatusLike {
  campaign: string;
  status: string;
  pausedReason?: string;
  produced: boolean;
  recipients: Record<string, number>;
  chunks: Record<string, number>;
  finishedAt?: string;
  [key: string]: unknown;
}

const bullmqPackage = '@mailtrap-kit/bulk-bullmq';

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)/.test(String(error))
  );
}

/**
 * Imports a package that is not a dependency of this one: first from where this package is
 * installed (npm hoists both side by side), then from the user's project in the working directory
 * (pnpm keeps each package's dependencies to itself, so only the project sees it).
 */
export async function importFromProject(
  specifier: string,
  directory: string = process.cwd(),
): Promise<unknown> {
  try {
    return await import(specifier);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    let resolved: string;
    try {
      resolved = createRequire(join(directory, 'package.json')).resolve(specifier);
    } catch {
      throw error;
    }
    return import(pathToFileURL(resolved).href);
  }
}

/**
 * Loads @mailtrap-kit/bulk-bullmq at run time. It depends on this package, so this package does not
 * declare it: it is found next to this package or in the user's project.
 */
export async function loadBullmq(
  load: (specifier: string) => Promise<unknown> = (specifier) => importFromProject(specifier),
): Promise<BullmqModule> {
  let loaded: Partial<BullmqModule>;
  try {
    loaded = (await load(bullmqPackage)) as Partial<BullmqModule>;
  } catch (error) {
    if (isNotFound(error))
      throw new BulkInputError(
        `campaign status comes from ${bullmqPackage}, which is not installed: npm install ${bullmqPackage} (or use --journal <file> for a mailtrap-bulk send run)`,
        'redis',
      );
    throw error;
  }
  if (typeof loaded.campaignStatus !== 'function' || typeof loaded.createBulkQueue !== 'function')
    throw new BulkInputError(
      `the installed ${bullmqPackage} has no campaignStatus: update it to a version that matches this package`,
      'redis',
    );
  return loaded as BullmqModule;
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the given URL';
  }
}

function line(label: string, value: number | string): string {
  return `  ${`${label}:`.padEnd(12)}${value}`;
}

function formatCampaign(status: CampaignStatusLike): string {
  const recipients = status.recipients;
  const lines = [
    `campaign ${status.campaign}: ${status.status}${status.pausedReason ? ` (${status.pausedReason})` : ''}${status.produced ? '' : ', still being produced'}`,
  ];
  for (const key of ['total', 'sent', 'failed', 'uncertain', 'cancelled', 'pending'])
    if (typeof recipients[key] === 'number') lines.push(line(key, recipients[key]!));
  if (typeof status.chunks.total === 'number')
    lines.push(line('chunks', `${status.chunks.done ?? 0} of ${status.chunks.total} done`));
  if (status.finishedAt) lines.push(line('finished', status.finishedAt));
  return lines.join('\n');
}

/** `mailtrap-bulk status`: returns the text to print; throws BulkInputError / BulkJournalError on bad input. */
export async function statusCommand(
  options: StatusOptions,
  load?: (specifier: string) => Promise<unknown>,
): Promise<string> {
  if (options.journal !== undefined) {
    const summary = summarizeJournal(options.journal);
    if (options.json) return JSON.stringify(summary);
    const open = summary.inFlight + summary.pending + summary.unsent;
    const lines = [
      `run ${summary.runId} (journal ${summary.path}, started ${summary.startedAt})`,
      line('batches', summary.batches),
      line('recipients', `${summary.recipients} in those batches`),
      line('sent', summary.sent),
      line('failed', summary.failed + summary.rejected),
      line('uncertain', summary.uncertain),
      line('in flight', summary.inFlight),
      line('to send', summary.pending),
      line('unsent', `${summary.unsent} (proven unsent by Email Logs; re-sent only with --resend-unsent)`),
    ];
    lines.push(
      open > 0 || summary.uncertain > 0
        ? `Resume: run the same mailtrap-bulk send command with --journal ${summary.path} --resume (recipients after the last batch shown are sent too)`
        : `Resume: run the same mailtrap-bulk send command with --journal ${summary.path} --resume to send any recipient after the last batch shown`,
    );
    return lines.join('\n');
  }
  const bullmq = await loadBullmq(load);
  const queue = bullmq.createBulkQueue({
    connection: options.redis!,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const unreachable = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new BulkInputError(`Redis at ${redactUrl(options.redis!)} did not answer within 20 s`, 'redis'),
          ),
        20_000,
      );
    });
    const status = await Promise.race([
      bullmq.campaignStatus(queue.redis, options.campaign!, options.prefix ? { prefix: options.prefix } : {}),
      unreachable,
    ]);
    return options.json ? JSON.stringify(status) : formatCampaign(status);
  } catch (error) {
    if ((error as Error)?.name === 'CampaignNotFoundError')
      throw new BulkInputError((error as Error).message, 'campaign');
    throw error;
  } finally {
    clearTimeout(timer);
    // A BullMQ queue closed while it is still connecting emits "Connection is closed" with no
    // listener, which ends the process: let it finish connecting first (briefly, Redis may be down).
    let readyTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.resolve(queue.queue?.waitUntilReady?.()).catch(() => undefined),
      new Promise((resolve) => {
        readyTimer = setTimeout(resolve, 5_000);
      }),
    ]);
    clearTimeout(readyTimer);
    await queue.close();
  }
}
