import { MailtrapError } from '@mailtrap-kit/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { addCompletionCommands, completeWords } from './completion';
import { CliUsageError } from './errors';
import { EXIT_CODES, exitCodesHelp } from './exit-codes';
import type { CliIo } from './io';
import { redactToken } from './token';

export interface ProgramSettings {
  /** The bin name, e.g. `mailtrap-kit`. */
  name: string;
  /** The package version, printed by `--version` on every command. */
  version: string;
  description: string;
  io: CliIo;
  /** What exit codes 1 and 3 mean for this program (the help's "Exit codes" section). */
  exitCodes?: { failure?: string; stopped?: string };
}

interface ProgramState {
  io: CliIo;
  version: string;
  exitCode: number;
  secrets: Set<string>;
  /** The command whose action runs: a usage error it throws points to its own help. */
  running: Command | undefined;
}

/** The word the completion scripts call the program with, before what the user typed. */
export const COMPLETE_COMMAND = '__complete';

const states = new WeakMap<Command, ProgramState>();

function rootOf(command: Command): Command {
  let current = command;
  while (current.parent) current = current.parent;
  return current;
}

function stateOf(command: Command): ProgramState {
  const state = states.get(rootOf(command));
  if (!state) throw new Error('The command was not made by createProgram()');
  return state;
}

/**
 * commander's parse error as one line in the kit's shape: `unknown option --jsno: did you mean
 * --json?` (commander's own is `error: unknown option '--jsno'` and the suggestion on a line below).
 */
function parseErrorText(text: string): string {
  const unknown = /^error: unknown (option|command) '([^']+)'(?:\n\(Did you mean (.+)\?\))?/.exec(text);
  if (unknown) {
    const [, kind, word, suggestion] = unknown;
    return `unknown ${kind} ${word}${suggestion ? `: did you mean ${suggestion}?` : ''}\n`;
  }
  return text.replace(/^error: /, '');
}

/**
 * A commander program with the kit's conventions: output through `io`, exit codes instead of
 * `process.exit`, "did you mean" on typos, help after an error, an "Exit codes" section, and the
 * `completion` command. Add commands with `.command()` (they inherit all of this), then call
 * {@link runProgram}.
 */
export function createProgram(settings: ProgramSettings): Command {
  const program = new Command(settings.name)
    .description(settings.description)
    .configureOutput({
      writeOut: (text) => settings.io.stdout.write(text),
      writeErr: (text) => settings.io.stderr.write(text),
      outputError: (text, write) => write(`${settings.name}: ${parseErrorText(text)}`),
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError(`(run "${settings.name} --help" for usage)`)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false })
    .addHelpText('after', `\n${exitCodesHelp(settings.exitCodes)}`);
  states.set(program, {
    io: settings.io,
    version: settings.version,
    exitCode: EXIT_CODES.success,
    secrets: new Set(),
    running: undefined,
  });
  return program;
}

/** Appends an "Example" section to a command's help. */
export function withExamples<T extends Command>(command: T, ...examples: string[]): T {
  command.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((line) => `  $ ${line}`).join('\n')}`,
  );
  (command as unknown as { _examples: string[] })._examples = examples;
  return command;
}

/** The examples given with {@link withExamples}. */
export function examplesOf(command: Command): string[] {
  return (command as unknown as { _examples?: string[] })._examples ?? [];
}

/** The io a program writes to, from any of its commands. */
export function ioOf(command: Command): CliIo {
  return stateOf(command).io;
}

/** Registers a secret (a token) that no output of the program may show; error messages are masked. */
export function keepSecret(command: Command, secret: string): void {
  stateOf(command).secrets.add(secret);
}

/** What an action handler returns: an exit code, or nothing for success. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is a success
export type ActionResult = number | undefined | void;

/**
 * An action handler for `.action()`: its resolved number becomes the exit code. The handler
 * receives the command's options (merged with its parents') and the command.
 */
export function action<Options = Record<string, unknown>>(
  handler: (options: Options, command: Command, ...args: string[]) => Promise<ActionResult> | ActionResult,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const positional = args.slice(0, -2).filter((value): value is string => typeof value === 'string');
    let code: ActionResult;
    stateOf(command).running = command;
    try {
      code = await handler(command.optsWithGlobals() as Options, command, ...positional);
    } catch (error) {
      // A value parser used inside an action (not while parsing) is a usage error too.
      if (error instanceof InvalidArgumentError) throw new CliUsageError(error.message, { cause: error });
      throw error;
    }
    stateOf(command).exitCode = typeof code === 'number' ? code : EXIT_CODES.success;
  };
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/** `--version` on every command, and a parse error's hint naming the command's own help. */
function finishCommands(command: Command, version: string): void {
  command.version(version, '-V, --version', 'print the version');
  command.showHelpAfterError(`(run "${commandPath(command)} --help" for usage)`);
  for (const sub of command.commands) finishCommands(sub, version);
}

function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
    return EXIT_CODES.success;
  if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
  return EXIT_CODES.usage;
}

/** A one-line description of an error for the terminal: message, HTTP status, server messages. */
export function describeError(error: unknown): string {
  if (MailtrapError.isInstance(error)) {
    const status = error.status ? ` (HTTP ${error.status})` : '';
    const server = error.errors.filter((message) => !error.message.includes(message));
    return `${error.message}${status}${server.length ? `: ${server.join('; ')}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Parses `argv` (without node and the script) and runs the chosen command. Resolves with the exit
 * code: the action's, 0 for help and version, 2 for a usage error, 1 for a failure (the error is
 * printed, with every registered secret masked).
 */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  const state = stateOf(program);
  if (!program.commands.some((command) => command.name() === 'completion')) {
    addCompletionCommands(program);
    finishCommands(program, state.version);
  }
  state.exitCode = EXIT_CODES.success;
  state.running = undefined;
  if (argv[0] === COMPLETE_COMMAND) {
    const candidates = completeWords(program, argv.slice(1));
    state.io.stdout.write(candidates.length ? `${candidates.join('\n')}\n` : '');
    return EXIT_CODES.success;
  }
  const token = state.io.env.MAILTRAP_API_TOKEN;
  if (token) state.secrets.add(token);
  const mask = (text: string) => {
    let masked = text;
    for (const secret of state.secrets) masked = redactToken(masked, secret);
    return masked;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    const name = program.name();
    if (CliUsageError.isInstance(error)) {
      const help = commandPath(state.running ?? program);
      state.io.stderr.write(`${name}: ${mask(error.message)}\n(run "${help} --help" for usage)\n`);
      return EXIT_CODES.usage;
    }
    if (MailtrapError.isInstance(error)) {
      state.io.stderr.write(`${name}: ${mask(describeError(error))}\n`);
      return EXIT_CODES.failure;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    state.io.stderr.write(`${name}: ${mask(detail)}\n`);
    return EXIT_CODES.failure;
  }
}
