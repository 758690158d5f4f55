import { type Command, InvalidArgumentError, type Option } from 'commander';
import { action, ioOf, withExamples } from './program';

const shells = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof shells)[number];

function visibleCommands(command: Command): Command[] {
  return command.commands.filter((sub) => !(sub as unknown as { _hidden?: boolean })._hidden);
}

function visibleOptions(command: Command): Option[] {
  return command.options.filter((option) => !option.hidden);
}

/**
 * The words that may come next after `words` (what is typed so far, without the program name),
 * from the program's own commands, options and option choices.
 */
export function completeWords(program: Command, words: string[]): string[] {
  let command = program;
  const typed = [...words];
  const current = typed.pop() ?? '';
  let expectsValueOf: Option | undefined;
  for (const word of typed) {
    if (expectsValueOf) {
      expectsValueOf = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = command.options.find((candidate) => candidate.long === word || candidate.short === word);
      if (option && (option.required || option.optional) && !word.includes('=')) expectsValueOf = option;
      continue;
    }
    const sub = command.commands.find(
      (candidate) => candidate.name() === word || candidate.aliases().includes(word),
    );
    if (sub) command = sub;
  }
  let candidates: string[];
  if (expectsValueOf) candidates = expectsValueOf.argChoices ?? [];
  else if (current.startsWith('-'))
    candidates = visibleOptions(command)
      .map((option) => option.long)
      .filter((flag): flag is string => flag !== undefined)
      .concat('--help');
  else candidates = visibleCommands(command).map((sub) => sub.name());
  return candidates.filter((candidate) => candidate.startsWith(current));
}

/** The shell script that wires `name`'s completion to `<name> __complete` (see {@link runProgram}). */
export function completionScript(name: string, shell: Shell): string {
  const fn = `_${name.replace(/[^a-zA-Z0-9]/g, '_')}_complete`;
  if (shell === 'fish') {
    return `# ${name} completion for fish: ${name} completion fish > ~/.config/fish/completions/${name}.fish
complete -c ${name} -f -a '(${name} __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`;
  }
  const bash = `${fn}() {
  local IFS=$'\\n'
  COMPREPLY=($(${name} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F ${fn} ${name}
`;
  if (shell === 'zsh') {
    return `# ${name} completion for zsh: add  eval "$(${name} completion zsh)"  to ~/.zshrc
autoload -U +X bashcompinit && bashcompinit
${bash}`;
  }
  return `# ${name} completion for bash: add  eval "$(${name} completion bash)"  to ~/.bashrc
${bash}`;
}

/** Adds `completion [bash|zsh|fish]`; the script it prints calls `<name> __complete <words...>`. */
export function addCompletionCommands(program: Command): void {
  const name = program.name();
  withExamples(
    program
      .command('completion')
      .description('print the shell completion script')
      .argument(
        '[shell]',
        `one of ${shells.join(', ')}`,
        (value: string) => {
          if (!(shells as readonly string[]).includes(value))
            throw new InvalidArgumentError(`expected one of ${shells.join(', ')}`);
          return value;
        },
        'bash',
      )
      .action(
        action((_options, command, shell) => {
          ioOf(command).stdout.write(completionScript(name, (shell ?? 'bash') as Shell));
        }),
      ),
    `eval "$(${name} completion bash)"`,
    `${name} completion fish > ~/.config/fish/completions/${name}.fish`,
  );
}
