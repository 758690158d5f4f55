import {
  addConnectionOptions,
  type CliIo,
  type Command,
  type ConnectionFlags,
  createProgram,
  integerParser,
  jsonOption,
  Option,
  parseAddress,
  rateOption,
  streamOption,
  action,
  withExamples,
} from '@mailtrap-kit/cli-kit';
import { version as packageVersion } from '../package.json';
import {
  boundedDuration,
  type CliOptions,
  parseDelimiter,
  type SendFlags,
  sendOptionsFrom,
} from './cli-args';
import { BulkInputError } from './errors';

/** What the `send` and `status` commands do once their command line is parsed. */
export interface BulkCommandHandlers {
  send(flags: SendFlags & ConnectionFlags, command: Command): Promise<number>;
  status(flags: { journal?: string; json?: boolean }, command: Command, campaign?: string): Promise<number>;
}

const description =
  "Send one campaign to a list of recipients through Mailtrap's bulk stream: resumable, paced at Mailtrap's limit per token (--rate, default 150/10s), no recipient lost or sent twice. The API token (of the sending domain) comes from $MAILTRAP_API_TOKEN, --token or the config file.";

const stateHelp = `
States: sent, failed (refused for good), uncertain (may or may not have been accepted),
unsent (not accepted: a resume sends it).`;

const endpointHelp = `
Endpoints: --endpoint is one base URL, as in every mailtrap-kit command: the bulk stream at
<url>/bulk, the transactional stream at <url>/transactional, Email Logs at <url>. It used to be
the stream's own URL: that is --bulk-endpoint / --send-endpoint now, and an --endpoint ending in
/bulk or /transactional is still read that way (with a note). The stream and its URL are always
stated before anything is sent.`;

function sendCommand(program: Command, handlers: BulkCommandHandlers): Command {
  const send = program
    .command('send')
    .description(
      'send the campaign (or check it with --dry-run); Ctrl-C stops cleanly and prints how to resume',
    )
    .usage(
      '--recipients <file> --from <address> (--subject <text> (--text <file> | --html <file>) | --template-uuid <uuid>) [options]',
    )
    .optionsGroup('Message:')
    .addOption(
      new Option('--from <address>', '"news@example.com" or "News <news@example.com>"').argParser(
        parseAddress,
      ),
    )
    .addOption(
      new Option('--subject <text>', 'with --text and/or --html; {{variables}} are filled per recipient'),
    )
    .addOption(new Option('--text <file>', 'the text body'))
    .addOption(new Option('--html <file>', 'the HTML body'))
    .addOption(
      new Option(
        '--template-uuid <uuid>',
        "a Mailtrap template; the recipient's columns go as template_variables",
      ),
    )
    .addOption(new Option('--category <name>', 'not with --template-uuid: the template has its own'))
    .optionsGroup('Recipients:')
    .addOption(
      new Option(
        '--recipients <file>',
        'CSV with a header row (email required; every column is a variable; custom_variables.<key> columns go to custom_variables) or NDJSON',
      ),
    )
    .addOption(
      new Option('--format <format>', 'the recipients file format (default: from the file name)').choices([
        'csv',
        'ndjson',
      ]),
    )
    .addOption(
      new Option(
        '--delimiter <c>',
        'CSV delimiter: , ; or tab (default: detected from the header)',
      ).argParser(parseDelimiter),
    )
    .addOption(
      new Option('--allow-duplicates', 'send a repeated address again (default: skipped and counted)'),
    )
    .optionsGroup('Connection:');
  addConnectionOptions(send, { hosts: ['send', 'bulk', 'general'] })
    .optionsGroup('Sending:')
    .addOption(streamOption('bulk', ['bulk', 'transactional']))
    .addOption(
      rateOption(
        { requests: 150, windowMs: 10_000 },
        "at most this many requests per window (Mailtrap's limit per token; off for an emulator)",
      ),
    )
    .addOption(
      new Option('--concurrency <n>', 'requests in flight').argParser(integerParser(1, 64)).default(4),
    )
    .addOption(
      new Option('--batch-size <n>', 'messages per request').argParser(integerParser(1, 500)).default(500),
    )
    .addOption(
      new Option('--timeout <duration>', 'per request: 30s, 500ms, 2m, or milliseconds')
        .argParser(boundedDuration(100, 600_000))
        .default(30_000, '30s'),
    )
    .addOption(new Option('--dry-run', 'check and pack everything, list the variables used, send nothing'))
    .optionsGroup('Resuming:')
    .addOption(
      new Option(
        '--journal <file>',
        'the run journal (default: <recipients>.<campaign>.journal, one per campaign and file)',
      ),
    )
    .addOption(new Option('--resume', 'continue the run the journal records'))
    .addOption(new Option('--resend-unsent', 're-send recipients Email Logs proves were never accepted'))
    .addOption(
      new Option('--settle-delay <duration>', 'wait before asking Email Logs about uncertain requests')
        .argParser(boundedDuration(0, 3_600_000))
        .default(30_000, '30s'),
    )
    .optionsGroup('Output:')
    .addOption(
      new Option('--results <file>', 'NDJSON, one {email, status, message_id?, error?} per recipient'),
    )
    .addOption(
      new Option('--progress <mode>', 'auto: a bar on a terminal, a line every 5 s otherwise')
        .choices(['auto', 'bar', 'lines', 'off'])
        .default('auto'),
    )
    .addOption(
      new Option('--progress-interval <duration>', 'how often --progress lines prints')
        .argParser(boundedDuration(100, 3_600_000))
        .default(5000, '5s')
        .hideHelp(),
    )
    .addOption(jsonOption('print the summary (or the dry run report) as one JSON document on stdout'))
    .optionsGroup('Options:')
    .addHelpText('after', `${endpointHelp}\n${stateHelp}`)
    .action(action((flags: SendFlags & ConnectionFlags, command) => handlers.send(flags, command)));
  return withExamples(
    send,
    `mailtrap-bulk send --recipients subscribers.csv --from 'News <news@example.com>' --subject 'Spring sale, {{first_name}}' --html spring.html --dry-run`,
    'mailtrap-bulk send --recipients list.ndjson --from news@example.com --template-uuid <uuid> --endpoint http://127.0.0.1:4025 --rate off',
  );
}

function statusCommand(program: Command, handlers: BulkCommandHandlers): Command {
  return withExamples(
    program
      .command('status')
      .description("counts by state from a run's journal, and how to resume it (the journal is not changed)")
      .usage('--journal <file> [--json]')
      .argument(
        '[campaign]',
        'not for mailtrap-bulk: a @mailtrap-kit/bulk-bullmq campaign is `mailtrap-bulk-bullmq status <campaign>`',
      )
      .addOption(new Option('--journal <file>', 'the journal of a mailtrap-bulk send run'))
      .addOption(jsonOption('print the counts as one JSON document'))
      .addHelpText(
        'after',
        '\nA campaign sent with @mailtrap-kit/bulk-bullmq lives in Redis: its status is\n  mailtrap-bulk-bullmq status <campaign> [--redis <url>]',
      )
      .action(action((flags, command, campaign) => handlers.status(flags, command, campaign))),
    'mailtrap-bulk status --journal subscribers.csv.3f2a9c1e.journal',
  );
}

/** The `mailtrap-bulk` program: `send` and `status` on cli-kit's shared options, writing to `io`. */
export function createBulkProgram(
  io: CliIo,
  handlers: BulkCommandHandlers,
  version = packageVersion,
): Command {
  const program = createProgram({
    name: 'mailtrap-bulk',
    version,
    description,
    io,
    exitCodes: {
      failure: 'some recipients failed or are uncertain (a dry run: some rows are invalid)',
      stopped:
        'stopped before the end (Ctrl-C, a refusal that would refuse everyone, recipients left unsent): run the printed command to resume',
    },
  });
  sendCommand(program, handlers);
  statusCommand(program, handlers);
  withExamples(
    program,
    `mailtrap-bulk send --recipients subscribers.csv --from 'News <news@example.com>' --subject 'Spring sale, {{first_name}}' --html spring.html --dry-run`,
  );
  return program;
}

/**
 * Parses a `mailtrap-bulk send` command line (without node and the script) into checked options,
 * with the definitions the bin runs; throws BulkInputError naming the option.
 */
export function parseCliArguments(argv: string[]): CliOptions {
  let errors = '';
  let parsed: CliOptions | undefined;
  let failure: unknown;
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: {
      write: (text: string) => {
        errors += text;
        return true;
      },
    },
    env: {},
    cwd: process.cwd(),
  };
  const program = createBulkProgram(io, {
    // commander calls the action synchronously: the options are checked before parse() returns
    async send(flags) {
      try {
        parsed = sendOptionsFrom(flags);
      } catch (error) {
        failure = error;
      }
      return 0;
    },
    async status() {
      return 0;
    },
  });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    const message = errors.split('\n')[0]!.replace(/^mailtrap-bulk: /, '') || (error as Error).message;
    throw new BulkInputError(message, 'arguments', { cause: error });
  }
  if (failure) throw failure;
  if (!parsed) throw new BulkInputError('mailtrap-bulk send is the command to parse', 'command');
  return parsed;
}
