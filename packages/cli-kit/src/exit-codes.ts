/** The exit codes every mailtrap-kit command uses. */
export const EXIT_CODES = Object.freeze({
  /** Everything asked for was done (every check passed, every recipient sent). */
  success: 0,
  /** The command ran and something failed: an API error, a failed check, a lint error. */
  failure: 1,
  /** The command line cannot run: unknown option or command, bad value, no token. Nothing was sent. */
  usage: 2,
  /** Stopped before the end (Ctrl-C, or a refusal that would refuse everything): rerun to resume. */
  stopped: 3,
});

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit codes as a help section, with a command's own meaning of `failure` and `stopped`. */
export function exitCodesHelp(meaning: { failure?: string; stopped?: string } = {}): string {
  const lines = [
    'Exit codes:',
    `  0  success`,
    `  1  ${meaning.failure ?? 'failure (an API error, a failed check)'}`,
    '  2  usage error (unknown option or command, bad value, no token); nothing was sent',
  ];
  if (meaning.stopped) lines.push(`  3  ${meaning.stopped}`);
  return lines.join('\n');
}
