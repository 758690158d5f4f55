import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { type CliOptions, parseCliArguments, usage } from './cli-args';
import { parseStatusArguments, statusCommand, statusUsage } from './cli-status';
import { BulkInputError, BulkJournalError } from './errors';
import { type BulkBase, prepareBase, type RecipientInput } from './packer';
import { readCsvRecipients, readNdjsonRecipients } from './readers';
import { type BulkProgress, type BulkRunSettings, createBulkRun } from './run';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Loads an optional package by name (default: `import()`); tests replace it. */
  loadModule?: (specifier: string) => Promise<unknown>;
  /** Installs a Ctrl-C handler; returns its remover. */
  onInterrupt?: (handler: () => void) => () => void;
}

export const exitCodes = { sent: 0, incomplete: 1, badInput: 2, stopped: 3 } as const;

function duration(ms: number | undefined): string {
  if (ms === undefined) return '?';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** sha256 of the file and its number of lines, in one streaming pass. */
async function fingerprintFile(path: string): Promise<{ hash: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    for (let index = buffer.indexOf(10); index !== -1; index = buffer.indexOf(10, index + 1)) lines += 1;
    if (buffer.length > 0) last = buffer[buffer.length - 1]!;
  }
  if (last !== 10) lines += 1;
  return { hash: hash.digest('hex'), lines };
}

/** Reads the first item so a broken header fails before anything is sent; yields it and the rest. */
async function primed(source: AsyncGenerator<RecipientInput>): Promise<AsyncIterable<RecipientInput>> {
  const first = await source.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* source;
  })();
}

function readBody(path: string, option: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    if (text.trim() === '') throw new Error('the file is empty');
    return text;
  } catch (error) {
    throw new BulkInputError(`--${option} ${path}: ${(error as Error).message}`, option);
  }
}

function buildBase(options: CliOptions): BulkBase {
  const base: BulkBase = { from: options.from };
  if (options.templateUuid) base.template_uuid = options.templateUuid;
  else {
    base.subject = options.subject!;
    if (options.textFile) base.text = readBody(options.textFile, 'text');
    if (options.htmlFile) base.html = readBody(options.htmlFile, 'html');
  }
  if (options.category !== undefined) base.category = options.category;
  return base;
}

/** Runs `mailtrap-bulk` with the arguments after the script name; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  if (argv[0] === 'status') {
    if (argv.includes('--help') || argv.includes('-h')) {
      write(io.stdout, statusUsage);
      return exitCodes.sent;
    }
    try {
      const text = await statusCommand(parseStatusArguments(argv.slice(1), io.env), io.loadModule);
      write(io.stdout, text);
      return exitCodes.sent;
    } catch (error) {
      if (error instanceof BulkInputError || error instanceof BulkJournalError) {
        write(io.stderr, `mailtrap-bulk: ${error.message}`);
        return exitCodes.badInput;
      }
      write(io.stderr, `mailtrap-bulk: ${(error as Error)?.message ?? String(error)}`);
      return exitCodes.incomplete;
    }
  }
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    write(argv.length === 0 ? io.stderr : io.stdout, usage);
    return argv.length === 0 ? exitCodes.badInput : exitCodes.sent;
  }
  let options: CliOptions;
  let settings: BulkRunSettings;
  let total: number;
  try {
    options = parseCliArguments(argv);
    const token = io.env.MAILTRAP_API_TOKEN;
    if (!options.dryRun && !token)
      throw new BulkInputError(
        'MAILTRAP_API_TOKEN is not set: export the API token of the sending domain',
        'token',
      );
    try {
      if (!statSync(options.recipients).isFile()) throw new Error('not a file');
    } catch (error) {
      throw new BulkInputError(
        `--recipients ${options.recipients}: ${(error as Error).message}`,
        'recipients',
      );
    }
    const base = buildBase(options);
    prepareBase(base);
    const file = await fingerprintFile(options.recipients);
    total = Math.max(0, file.lines - (options.format === 'csv' ? 1 : 0));
    const reader =
      options.format === 'csv'
        ? readCsvRecipients(options.recipients)
        : readNdjsonRecipients(options.recipients);
    settings = {
      recipients: await primed(reader),
      base,
      stream: options.stream,
      concurrency: options.concurrency,
      rateLimit: options.rate,
      resendUnsent: options.resendUnsent,
      settleDelayMs: options.settleDelayMs,
      inputHash: file.hash,
      total,
      dryRun: options.dryRun,
    };
    if (token) settings.token = token;
    if (!options.dryRun) {
      settings.journal = options.journal;
      settings.resume = options.resume;
    }
    if (options.results) settings.results = options.results;
    if (options.batchSize) settings.batchSize = options.batchSize;
    if (options.timeoutMs) settings.timeoutMs = options.timeoutMs;
    if (options.accountId) settings.accountId = options.accountId;
    const endpoints: NonNullable<BulkRunSettings['endpoints']> = {};
    if (options.endpoint) endpoints[options.stream === 'bulk' ? 'bulk' : 'send'] = options.endpoint;
    if (options.generalEndpoint) endpoints.general = options.generalEndpoint;
    settings.endpoints = endpoints;
  } catch (error) {
    if (error instanceof BulkInputError || error instanceof BulkJournalError) {
      write(io.stderr, `mailtrap-bulk: ${error.message}`);
      write(io.stderr, 'Run mailtrap-bulk --help for the options.');
      return exitCodes.badInput;
    }
    throw error;
  }

  const controller = new AbortController();
  settings.signal = controller.signal;
  const resumeCommand = ['mailtrap-bulk', ...argv, ...(argv.includes('--resume') ? [] : ['--resume'])]
    .map(shellQuote)
    .join(' ');
  let interrupts = 0;
  const removeInterrupt = io.onInterrupt?.(() => {
    interrupts += 1;
    if (interrupts === 1) {
      write(
        io.stderr,
        '\nStopping: no new request starts; waiting for the ones in flight (Ctrl-C again to quit now).',
      );
      controller.abort();
    } else {
      write(io.stderr, `\nQuit. The journal is up to date; resume with:\n  ${resumeCommand}`);
      process.exit(exitCodes.stopped);
    }
  });

  const run = createBulkRun(settings);
  const mode = options.progress === 'auto' ? (io.stderr.isTTY ? 'bar' : 'lines') : options.progress;
  let bar: cliProgress.SingleBar | undefined;
  let lineTimer: NodeJS.Timeout | undefined;
  const describe = (progress: BulkProgress) =>
    `${progress.sent + progress.failed + progress.uncertain}/${progress.total ?? '?'} sent ${progress.sent} failed ${progress.failed} uncertain ${progress.uncertain} | ${progress.recipientsPerSecond}/s | ETA ${duration(progress.etaMs)}${progress.phase === 'settling' ? ' | checking Email Logs' : ''}`;
  if (mode === 'bar') {
    bar = new cliProgress.SingleBar(
      {
        stream: io.stderr,
        format:
          '{bar} {value}/{total} | {speed}/s | ETA {eta_text} | failed {failed} | uncertain {uncertain}',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { speed: 0, eta_text: '?', failed: 0, uncertain: 0 });
    run.on('progress', (progress) => {
      bar?.setTotal(progress.total ?? total);
      bar?.update(progress.sent + progress.failed + progress.uncertain, {
        speed: progress.recipientsPerSecond,
        eta_text: duration(progress.etaMs),
        failed: progress.failed,
        uncertain: progress.uncertain,
      });
    });
  } else if (mode === 'lines') {
    lineTimer = setInterval(
      () => write(io.stderr, `mailtrap-bulk: ${describe(run.snapshot())}`),
      options.progressIntervalMs,
    );
    lineTimer.unref();
  }

  try {
    const summary = await run.done;
    bar?.stop();
    if (lineTimer) clearInterval(lineTimer);
    if (summary.dryRun) {
      const dry = summary.dryRun;
      write(
        io.stdout,
        `Dry run: ${summary.total} recipients (${dry.valid} valid, ${dry.invalid} invalid), ${dry.requests} requests, ${dry.bytes} bytes, expected duration ${duration(dry.expectedDurationMs)}${options.rate ? ` at ${options.rate.requests} requests/${options.rate.windowMs / 1000}s` : ''}. Nothing was sent.`,
      );
      return dry.invalid > 0 ? exitCodes.incomplete : exitCodes.sent;
    }
    write(
      io.stdout,
      `${summary.sent} sent, ${summary.failed} failed, ${summary.uncertain} uncertain, ${summary.pending} not sent yet, of ${summary.total} recipients in ${duration(summary.durationMs)} (${summary.requests} requests, run ${summary.runId}).`,
    );
    if (options.results) write(io.stdout, `Results: ${options.results}`);
    if (summary.settlementError) write(io.stderr, `mailtrap-bulk: ${summary.settlementError}`);
    if (summary.uncertain > 0)
      write(
        io.stderr,
        `mailtrap-bulk: ${summary.uncertain} recipients are uncertain (their batch may or may not have been accepted).${options.resendUnsent ? '' : ' Add --resend-unsent to re-send those Email Logs proves unsent.'}`,
      );
    if (summary.fatalError)
      write(io.stderr, `mailtrap-bulk: stopped: ${summary.fatalError.code}: ${summary.fatalError.message}`);
    if (summary.stopped || summary.pending > 0) {
      write(io.stderr, `Resume with:\n  ${resumeCommand}`);
      return exitCodes.stopped;
    }
    return summary.failed + summary.uncertain > 0 ? exitCodes.incomplete : exitCodes.sent;
  } catch (error) {
    bar?.stop();
    if (lineTimer) clearInterval(lineTimer);
    if (error instanceof BulkInputError || error instanceof BulkJournalError) {
      write(io.stderr, `mailtrap-bulk: ${error.message}`);
      return exitCodes.badInput;
    }
    throw error;
  } finally {
    removeInterrupt?.();
  }
}
