import { existsSync, statSync } from 'node:fs';
import {
  CliUsageError,
  type Command,
  type ConnectionFlags,
  MAILTRAP_ENDPOINTS,
  resolveConnection,
  TOKEN_VARIABLE,
  tokenHint,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import { MailtrapError } from '@mailtrap-kit/core';
import { type CliOptions, type SendFlags, sendOptionsFrom } from './cli-args';
import { hostOf, readEndpointFlags, streamSource } from './cli-endpoints';
import { buildBase, hashFile, interruptedCampaigns, primed, reader } from './cli-input';
import { countsLine, formatReasons, plural, shellQuote } from './cli-report';
import { CliProgress, duration } from './cli-progress';
import { BulkInputError } from './errors';
import { summarizeJournal } from './journal';
import { loadMergeSupport, prepareBase } from './packer';
import { type BulkRunSummary, createBulkRun } from './run';
import { type BulkRunSettings, campaignHash } from './run-settings';

export const exitCodes = { sent: 0, incomplete: 1, badInput: 2, stopped: 3 } as const;

/** Where `send` writes, and how it was started (for the printed resume command). */
export interface SendIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The command that starts mailtrap-bulk again the way it was started this time. */
  invocation: string;
  /** Installs a Ctrl-C handler; returns its remover. */
  onInterrupt?: (handler: () => void) => () => void;
}

/**
 * The command line that resumes this run, as it was typed plus `--resume` (and `--journal` when
 * the journal was named by default). A `--token` value is never printed: it is left out.
 */
export function resumeCommand(
  invocation: string,
  argv: readonly string[],
  journal: string | undefined,
): string {
  const words: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index]!;
    if (word === '--token') {
      index += 1;
      continue;
    }
    if (word.startsWith('--token=')) continue;
    words.push(word);
  }
  if (!words.includes('--resume')) words.push('--resume');
  if (journal !== undefined && !words.includes('--journal')) words.push('--journal', journal);
  return [invocation, ...words.map(shellQuote)].join(' ');
}

/** Bad input or configuration (a core error), said in one line: exit 2, nothing was sent. */
function refusal(io: SendIo, error: unknown): number {
  // anything else, and a command-line error (printed by cli-kit with the --help hint), goes up
  if (!MailtrapError.isInstance(error) || CliUsageError.isInstance(error)) throw error;
  io.stderr.write(`mailtrap-bulk: ${(error as Error).message}\n`);
  return exitCodes.badInput;
}

interface PreparedSend {
  options: CliOptions;
  settings: BulkRunSettings;
  journalPath: string;
  check: BulkRunSummary;
  tokenFromFlag: boolean;
}

/** Everything before the first request: the checks, the whole file read once, the stated stream. */
async function prepare(
  argv: readonly string[],
  flags: SendFlags & ConnectionFlags,
  command: Command,
  io: SendIo,
): Promise<PreparedSend | number> {
  const write = (stream: { write(text: string): unknown }, text: string) => stream.write(`${text}\n`);
  const options = sendOptionsFrom(flags);
  const endpointFlags = readEndpointFlags(flags);
  const connection = resolveConnection(command, endpointFlags.flags);
  const token = connection.token?.token;
  if (!options.dryRun && !token)
    throw new BulkInputError(
      `No API token (${TOKEN_VARIABLE} is not set). ${tokenHint(connection.configPath)}: the API token of the sending domain. Or check the campaign without one: --dry-run.`,
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
  await loadMergeSupport(base);
  prepareBase(base);
  const batchSize = options.batchSize ?? 500;
  const journalPath =
    options.journal ??
    `${options.recipients}.${campaignHash(base, batchSize, options.stream, !options.allowDuplicates).slice(0, 8)}.journal`;

  // The whole file is checked first: the counts, the invalid rows and the variables are known before
  // anything is sent, and a campaign whose content needs a column nobody has is refused.
  const check = await createBulkRun({
    recipients: await primed(reader(options)),
    base,
    batchSize,
    rateLimit: options.rate,
    skipDuplicates: !options.allowDuplicates,
    dryRun: true,
    ...(options.dryRun && options.results ? { results: options.results } : {}),
  }).done;
  if (options.dryRun) return reportDryRun(options, check, io);
  const missing = check.dryRun?.variables?.filter((variable) => variable.missing > 0) ?? [];
  if (missing.length > 0)
    write(
      io.stderr,
      `mailtrap-bulk: note: ${missing.map((variable) => `{{${variable.name}}} is empty for ${variable.missing}`).join(', ')} recipients (run with --dry-run to see the counts).`,
    );

  const inputHash = await hashFile(options.recipients);
  if (!options.resume && existsSync(journalPath) && statSync(journalPath).size > 0) {
    const known = summarizeJournal(journalPath);
    if (known.finished)
      throw new BulkInputError(
        `this campaign was already sent to ${options.recipients} (journal ${journalPath}, run ${known.runId}: ${known.sent} sent). To send it again anyway, remove the journal or give --journal <new file>.`,
        'journal',
      );
    throw new BulkInputError(
      `this campaign was started before and did not finish (journal ${journalPath}: ${known.sent} sent, ${known.unsent} unsent, ${known.uncertain + known.inFlight} uncertain). Resume it with:\n  ${resumeCommand(io.invocation, argv, undefined)}`,
      'journal',
    );
  }
  if (!options.resume && options.journal === undefined)
    for (const other of interruptedCampaigns(options.recipients, journalPath))
      write(
        io.stderr,
        `mailtrap-bulk: note: another campaign from this file did not finish (journal ${other}); this one starts fresh. Resume that one with its own command and --resume.`,
      );

  const { endpoints } = connection;
  const settings: BulkRunSettings = {
    recipients: await primed(reader(options)),
    base,
    stream: options.stream,
    concurrency: options.concurrency,
    rateLimit: options.rate,
    resendUnsent: options.resendUnsent,
    settleDelayMs: options.settleDelayMs,
    skipDuplicates: !options.allowDuplicates,
    inputHash,
    total: check.total,
    batchSize,
    journal: journalPath,
    resume: options.resume,
    endpoints: { send: endpoints.send, bulk: endpoints.bulk, general: endpoints.general },
  };
  if (token) settings.token = token;
  if (options.results) settings.results = options.results;
  if (options.timeoutMs) settings.timeoutMs = options.timeoutMs;
  if (connection.accountId) settings.accountId = connection.accountId;
  const host = hostOf(options.stream);
  const url = endpoints[host];
  const from =
    streamSource(options.stream, endpointFlags.flags, io.env) ??
    (url === MAILTRAP_ENDPOINTS[host] ? undefined : `the config file ${connection.configPath}`);
  write(
    io.stderr,
    `mailtrap-bulk: sending on the ${options.stream} stream via ${url}${from ? ` (${from})` : ''}: ${plural(check.total, 'recipient')}${check.invalid ? `, ${plural(check.invalid, 'invalid row')} not sent` : ''}${check.duplicates ? `, ${plural(check.duplicates, 'duplicate row')} skipped` : ''}; journal ${journalPath}.`,
  );
  if (endpointFlags.note) write(io.stderr, `mailtrap-bulk: note: ${endpointFlags.note}`);
  return { options, settings, journalPath, check, tokenFromFlag: connection.token?.source === 'flag' };
}

function reportDryRun(options: CliOptions, check: BulkRunSummary, io: SendIo): number {
  const write = (text: string) => io.stdout.write(`${text}\n`);
  const dry = check.dryRun!;
  const code = dry.invalid > 0 ? exitCodes.incomplete : exitCodes.sent;
  if (options.json) {
    writeJson(io, { dryRun: dry, reasons: check.reasons });
    return code;
  }
  write(
    `Dry run: ${dry.valid + dry.invalid + dry.duplicates} rows: ${dry.valid} recipients to send, ${dry.invalid} invalid${dry.duplicates ? `, ${plural(dry.duplicates, 'duplicate')} skipped` : ''}; ${dry.requests} requests, ${dry.bytes} bytes, expected duration ${duration(dry.expectedDurationMs)}${options.rate ? ` at ${options.rate.requests} requests/${options.rate.windowMs / 1000}s` : ''}. Nothing was sent.`,
  );
  if (dry.variables === undefined)
    write(
      'Variables: every column goes to the template as template_variables (the template itself is on Mailtrap: its variables are not checked here).',
    );
  else if (dry.variables.length === 0)
    write('Variables: the content uses none: every recipient gets the same message.');
  else
    write(
      `Variables the content uses: ${dry.variables.map((variable) => `{{${variable.name}}}${variable.missing ? ` (missing for ${variable.missing})` : ''}`).join(', ')}. Each message is rendered for its recipient.`,
    );
  for (const line of formatReasons(check.reasons)) write(line);
  return code;
}

/**
 * `mailtrap-bulk send`: checks everything, states the stream, sends with a progress bar (or lines),
 * stops cleanly on Ctrl-C, and prints the summary and how to resume. Resolves with the exit code.
 */
export async function sendCampaign(
  argv: readonly string[],
  flags: SendFlags & ConnectionFlags,
  command: Command,
  io: SendIo,
): Promise<number> {
  const write = (stream: { write(text: string): unknown }, text: string) => stream.write(`${text}\n`);
  let prepared: PreparedSend | number;
  try {
    prepared = await prepare(argv, flags, command, io);
  } catch (error) {
    return refusal(io, error);
  }
  if (typeof prepared === 'number') return prepared;
  const { options, settings, journalPath, check } = prepared;

  const controller = new AbortController();
  settings.signal = controller.signal;
  const resume = resumeCommand(io.invocation, argv, options.journal === undefined ? journalPath : undefined);
  const tokenNote = prepared.tokenFromFlag
    ? `\n(the token given with --token is not printed: pass it again, or export ${TOKEN_VARIABLE})`
    : '';
  const run = createBulkRun(settings);
  const mode = options.progress === 'auto' ? (io.stderr.isTTY ? 'bar' : 'lines') : options.progress;
  const progress = new CliProgress(
    io.stderr as NodeJS.WritableStream,
    mode,
    check.total,
    options.progressIntervalMs,
  );
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
      write(io.stderr, `\nQuit. The journal is up to date; resume with:\n  ${resume}${tokenNote}`);
      process.exit(exitCodes.stopped);
    }
  });

  try {
    const summary = await run.done;
    progress.stop();
    const resendable = summary.reasons.some(
      (group) => group.status === 'unsent' && /Email Logs/.test(group.reason),
    );
    const resumeLine = `${resume}${resendable && !options.resendUnsent ? ' --resend-unsent' : ''}`;
    const resumable = summary.stopped || summary.unsent > 0 || summary.uncertain > 0;
    // invalid rows as the whole file's check found them (a stopped run may not have reached them all)
    const reasons = [...check.reasons, ...summary.reasons.filter((group) => group.lines === undefined)].sort(
      (left, right) => right.count - left.count,
    );
    if (options.json)
      writeJson(io, {
        ...summary,
        total: check.total,
        invalid: check.invalid,
        duplicates: check.duplicates,
        reasons,
        journal: journalPath,
        ...(options.results ? { results: options.results } : {}),
        ...(resumable ? { resume: resumeLine } : {}),
      });
    else {
      write(
        io.stdout,
        `${countsLine(summary, check)} in ${duration(summary.durationMs)} (${summary.requests} requests, run ${summary.runId}).`,
      );
      if (options.results) write(io.stdout, `Results: ${options.results}`);
      for (const line of formatReasons(reasons)) write(io.stdout, line);
    }
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
    if (resumable) {
      write(io.stderr, `Resume with:\n  ${resumeLine}${tokenNote}`);
      return summary.stopped || summary.unsent > 0 ? exitCodes.stopped : exitCodes.incomplete;
    }
    return summary.failed > 0 ? exitCodes.incomplete : exitCodes.sent;
  } catch (error) {
    progress.stop();
    return refusal(io, error);
  } finally {
    progress.stop();
    removeInterrupt?.();
  }
}
