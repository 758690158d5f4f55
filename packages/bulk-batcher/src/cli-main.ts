import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MailtrapError } from '@mailtrap-kit/core';
import { type CliOptions, parseCliArguments, usage } from './cli-args';
import { CliProgress, duration } from './cli-progress';
import { parseStatusArguments, statusCommand, statusUsage } from './cli-status';
import { BulkInputError } from './errors';
import { invocation } from './invocation';
import { summarizeJournal } from './journal';
import { type BulkBase, prepareBase, type RecipientInput } from './packer';
import { readCsvRecipients, readNdjsonRecipients } from './readers';
import type { ReasonCount } from './reasons';
import { type BulkRunSummary, createBulkRun } from './run';
import { type BulkRunSettings, campaignHash } from './run-settings';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The package version, for --version. */
  version?: string;
  /** The script that runs (process.argv[1]) and the working directory: how a resume is printed. */
  script?: string;
  cwd?: string;
  /** Installs a Ctrl-C handler; returns its remover. */
  onInterrupt?: (handler: () => void) => () => void;
}

export const exitCodes = { sent: 0, incomplete: 1, badInput: 2, stopped: 3 } as const;

const defaultHosts = { bulk: 'https://bulk.api.mailtrap.io', transactional: 'https://send.api.mailtrap.io' };

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** sha256 of the file, in one streaming pass. */
async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readBody(path: string, option: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    if (text.trim() === '') throw new Error('the file is empty');
    return text;
  } catch (error) {
    throw new BulkInputError(`--${option} ${path}: ${(error as Error).message}`, option, { cause: error });
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

function reader(options: CliOptions): AsyncGenerator<RecipientInput> {
  return options.format === 'csv'
    ? readCsvRecipients(options.recipients, options.delimiter ? { delimiter: options.delimiter } : {})
    : readNdjsonRecipients(options.recipients);
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

/** The failures of a run, grouped by reason, for the terminal. */
export function formatReasons(reasons: readonly ReasonCount[], limit = 10): string[] {
  if (reasons.length === 0) return [];
  const lines = ['Not sent, by reason:'];
  for (const group of reasons.slice(0, limit)) {
    const where = group.lines?.length
      ? ` (line${group.lines.length > 1 ? 's' : ''} ${group.lines.join(', ')}${group.count > group.lines.length ? ', …' : ''})`
      : '';
    lines.push(`  ${String(group.count).padStart(7)} ${group.status}: ${group.reason}${where}`);
  }
  if (reasons.length > limit) {
    const rest = reasons.slice(limit).reduce((sum, group) => sum + group.count, 0);
    lines.push(
      `  ${String(rest).padStart(7)} more, for ${reasons.length - limit} other reasons (see --results)`,
    );
  }
  return lines;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The counts of a run, the same ones as the bar: the recipients to send (valid rows) by state, then
 * the rows that were never to be sent (invalid, duplicates), as the whole file's check found them.
 */
function countsLine(summary: BulkRunSummary, check: BulkRunSummary): string {
  const skipped: string[] = [];
  if (check.invalid > 0) skipped.push(plural(check.invalid, 'invalid row'));
  if (check.duplicates > 0) skipped.push(plural(check.duplicates, 'duplicate row'));
  return `${summary.sent} sent, ${summary.failed - summary.invalid} failed, ${summary.uncertain} uncertain, ${summary.unsent} unsent, of ${check.total} recipients${skipped.length ? `; ${skipped.join(' and ')} not sent` : ''}`;
}

/**
 * The base URL the stream's requests go to, and where it came from (the flag or core's environment
 * variables), so the stream and host are always stated. A bare host given for the bulk stream gets a
 * note: an emulator (or a proxy laid out like one) answers the transactional stream at its root.
 */
export function streamEndpoint(
  options: Pick<CliOptions, 'endpoint' | 'stream'>,
  env: Record<string, string | undefined>,
): { url: string; from?: string; note?: string } {
  const variable = options.stream === 'bulk' ? 'MAILTRAP_BULK_ENDPOINT' : 'MAILTRAP_SEND_ENDPOINT';
  if (options.endpoint) {
    let note: string | undefined;
    try {
      const url = new URL(options.endpoint);
      if (
        options.stream === 'bulk' &&
        (url.pathname === '/' || url.pathname === '') &&
        !/\.mailtrap\.io$/.test(url.hostname)
      )
        note = `--endpoint is the bulk stream's own base URL; a mailtrap-kit emulator (or a proxy laid out like one) answers the transactional stream at its root and the bulk stream at ${options.endpoint.replace(/\/$/, '')}/bulk`;
    } catch {
      // checked by the argument parser
    }
    return note
      ? { url: options.endpoint, from: '--endpoint', note }
      : { url: options.endpoint, from: '--endpoint' };
  }
  if (env[variable]) return { url: env[variable]!, from: variable };
  if (env.MAILTRAP_ENDPOINT)
    return {
      url: `${env.MAILTRAP_ENDPOINT.replace(/\/$/, '')}${options.stream === 'bulk' ? '/bulk' : '/transactional'}`,
      from: 'MAILTRAP_ENDPOINT',
    };
  return { url: defaultHosts[options.stream] };
}

/** The journals of other campaigns from the same recipients file that did not finish. */
function interruptedCampaigns(recipients: string, except: string): string[] {
  const directory = dirname(recipients);
  const prefix = `${basename(recipients)}.`;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.journal')) continue;
    const path = join(directory, name);
    if (path === except) continue;
    try {
      const summary = summarizeJournal(path);
      if (!summary.finished) found.push(path);
    } catch {
      // not a journal of ours
    }
  }
  return found;
}

/** Runs `mailtrap-bulk` with the arguments after the script name; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  const command = invocation({ env: io.env, script: io.script, cwd: io.cwd ?? process.cwd() });
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    write(io.stdout, io.version ?? 'unknown');
    return exitCodes.sent;
  }
  if (argv[0] === 'status') {
    if (argv.includes('--help') || argv.includes('-h')) {
      write(io.stdout, statusUsage);
      return exitCodes.sent;
    }
    try {
      write(io.stdout, statusCommand(parseStatusArguments(argv.slice(1)), command));
      return exitCodes.sent;
    } catch (error) {
      if (MailtrapError.isInstance(error)) {
        write(io.stderr, `mailtrap-bulk: ${error.message}`);
        return exitCodes.badInput;
      }
      throw error;
    }
  }
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    write(argv.length === 0 ? io.stderr : io.stdout, usage);
    return argv.length === 0 ? exitCodes.badInput : exitCodes.sent;
  }
  const refuse = (error: unknown): number => {
    if (!MailtrapError.isInstance(error)) throw error;
    write(io.stderr, `mailtrap-bulk: ${error.message}`);
    if ((error as BulkInputError).field === 'arguments' || (error as BulkInputError).field === 'command')
      write(io.stderr, `Run ${command} --help for the options.`);
    return exitCodes.badInput;
  };

  let options: CliOptions;
  let settings: BulkRunSettings;
  let journalPath: string;
  let valid: number;
  let check: BulkRunSummary;
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
        {
          cause: error,
        },
      );
    }
    const base = buildBase(options);
    prepareBase(base);
    const batchSize = options.batchSize ?? 500;
    journalPath =
      options.journal ??
      `${options.recipients}.${campaignHash(base, batchSize, options.stream, !options.allowDuplicates).slice(0, 8)}.journal`;

    // The whole file is checked first: the counts, the invalid rows and the variables are known before
    // anything is sent, and a campaign whose content needs a column nobody has is refused.
    check = await createBulkRun({
      recipients: await primed(reader(options)),
      base,
      batchSize,
      rateLimit: options.rate,
      skipDuplicates: !options.allowDuplicates,
      dryRun: true,
      ...(options.dryRun && options.results ? { results: options.results } : {}),
    }).done;
    valid = check.total;
    if (options.dryRun) {
      const dry = check.dryRun!;
      write(
        io.stdout,
        `Dry run: ${dry.valid + dry.invalid + dry.duplicates} rows: ${dry.valid} recipients to send, ${dry.invalid} invalid${dry.duplicates ? `, ${plural(dry.duplicates, 'duplicate')} skipped` : ''}; ${dry.requests} requests, ${dry.bytes} bytes, expected duration ${duration(dry.expectedDurationMs)}${options.rate ? ` at ${options.rate.requests} requests/${options.rate.windowMs / 1000}s` : ''}. Nothing was sent.`,
      );
      if (dry.variables === undefined)
        write(
          io.stdout,
          'Variables: every column goes to the template as template_variables (the template itself is on Mailtrap: its variables are not checked here).',
        );
      else if (dry.variables.length === 0)
        write(io.stdout, 'Variables: the content uses none: every recipient gets the same message.');
      else
        write(
          io.stdout,
          `Variables the content uses: ${dry.variables.map((variable) => `{{${variable.name}}}${variable.missing ? ` (missing for ${variable.missing})` : ''}`).join(', ')}. Each message is rendered for its recipient.`,
        );
      for (const line of formatReasons(check.reasons)) write(io.stdout, line);
      return dry.invalid > 0 ? exitCodes.incomplete : exitCodes.sent;
    }
    const missing = check.dryRun?.variables?.filter((variable) => variable.missing > 0) ?? [];
    if (missing.length > 0)
      write(
        io.stderr,
        `mailtrap-bulk: note: ${missing.map((variable) => `{{${variable.name}}} is empty for ${variable.missing}`).join(', ')} recipients (run with --dry-run to see the counts).`,
      );

    const inputHash = await hashFile(options.recipients);
    if (!options.resume && existsSync(journalPath) && statSync(journalPath).size > 0) {
      const known = summarizeJournal(journalPath);
      const resumeCommand = [command, ...argv.map(shellQuote), '--resume'].join(' ');
      if (known.finished)
        throw new BulkInputError(
          `this campaign was already sent to ${options.recipients} (journal ${journalPath}, run ${known.runId}: ${known.sent} sent). To send it again anyway, remove the journal or give --journal <new file>.`,
          'journal',
        );
      throw new BulkInputError(
        `this campaign was started before and did not finish (journal ${journalPath}: ${known.sent} sent, ${known.unsent} unsent, ${known.uncertain + known.inFlight} uncertain). Resume it with:\n  ${resumeCommand}`,
        'journal',
      );
    }
    if (!options.resume && options.journal === undefined)
      for (const other of interruptedCampaigns(options.recipients, journalPath))
        write(
          io.stderr,
          `mailtrap-bulk: note: another campaign from this file did not finish (journal ${other}); this one starts fresh. Resume that one with its own command and --resume.`,
        );

    settings = {
      recipients: await primed(reader(options)),
      base,
      stream: options.stream,
      concurrency: options.concurrency,
      rateLimit: options.rate,
      resendUnsent: options.resendUnsent,
      settleDelayMs: options.settleDelayMs,
      skipDuplicates: !options.allowDuplicates,
      inputHash,
      total: valid,
      batchSize,
      journal: journalPath,
      resume: options.resume,
    };
    if (token) settings.token = token;
    if (options.results) settings.results = options.results;
    if (options.timeoutMs) settings.timeoutMs = options.timeoutMs;
    if (options.accountId) settings.accountId = options.accountId;
    const endpoints: NonNullable<BulkRunSettings['endpoints']> = {};
    if (options.endpoint) endpoints[options.stream === 'bulk' ? 'bulk' : 'send'] = options.endpoint;
    if (options.generalEndpoint) endpoints.general = options.generalEndpoint;
    settings.endpoints = endpoints;
    const streamUrl = streamEndpoint(options, io.env);
    write(
      io.stderr,
      `mailtrap-bulk: sending on the ${options.stream} stream via ${streamUrl.url}${streamUrl.from ? ` (${streamUrl.from})` : ''}: ${plural(valid, 'recipient')}${check.invalid ? `, ${plural(check.invalid, 'invalid row')} not sent` : ''}${check.duplicates ? `, ${plural(check.duplicates, 'duplicate row')} skipped` : ''}; journal ${journalPath}.`,
    );
    if (streamUrl.note) write(io.stderr, `mailtrap-bulk: note: ${streamUrl.note}`);
  } catch (error) {
    return refuse(error);
  }

  const controller = new AbortController();
  settings.signal = controller.signal;
  const resumeArgs = argv.includes('--resume') ? argv : [...argv, '--resume'];
  if (options.journal === undefined && !argv.includes('--journal')) resumeArgs.push('--journal', journalPath);
  const resumeCommand = [command, ...resumeArgs.map(shellQuote)].join(' ');
  const run = createBulkRun(settings);
  const mode = options.progress === 'auto' ? (io.stderr.isTTY ? 'bar' : 'lines') : options.progress;
  const progress = new CliProgress(io.stderr, mode, valid, options.progressIntervalMs);
  progress.follow(run);

  let interrupts = 0;
  const removeInterrupt = io.onInterrupt?.(() => {
    interrupts += 1;
    progress.stop();
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

  try {
    const summary = await run.done;
    progress.stop();
    write(
      io.stdout,
      `${countsLine(summary, check)} in ${duration(summary.durationMs)} (${summary.requests} requests, run ${summary.runId}).`,
    );
    if (options.results) write(io.stdout, `Results: ${options.results}`);
    // invalid rows as the whole file's check found them (a stopped run may not have reached them all)
    const reasons = [...check.reasons, ...summary.reasons.filter((group) => group.lines === undefined)].sort(
      (left, right) => right.count - left.count,
    );
    for (const line of formatReasons(reasons)) write(io.stdout, line);
    if (summary.settlementError) write(io.stderr, `mailtrap-bulk: ${summary.settlementError}`);
    if (summary.uncertain > 0)
      write(
        io.stderr,
        `mailtrap-bulk: ${summary.uncertain} recipients are uncertain (their request may or may not have been accepted); a resume asks Email Logs again.`,
      );
    if (summary.fatalError)
      write(
        io.stderr,
        `mailtrap-bulk: stopped after a refusal that would refuse every recipient (${summary.fatalError.code}): ${summary.fatalError.message}\nNothing more was sent; fix it, then resume.`,
      );
    const resendable = summary.reasons.some(
      (group) => group.status === 'unsent' && /Email Logs/.test(group.reason),
    );
    if (summary.stopped || summary.unsent > 0 || summary.uncertain > 0) {
      write(
        io.stderr,
        `Resume with:\n  ${resumeCommand}${resendable && !options.resendUnsent ? ' --resend-unsent' : ''}`,
      );
      return summary.stopped || summary.unsent > 0 ? exitCodes.stopped : exitCodes.incomplete;
    }
    return summary.failed > 0 ? exitCodes.incomplete : exitCodes.sent;
  } catch (error) {
    progress.stop();
    return refuse(error);
  } finally {
    progress.stop();
    removeInterrupt?.();
  }
}
