import { addConnectionOptions, type Command, type ConnectionFlags, jsonOption } from '@mailtrap-kit/cli-kit';
import { openSession, type Session } from '../session';

/** The options of every account command: the connection options and `--json`. */
export type Flags = ConnectionFlags & { json?: boolean };

/** Runs `run` with a session on the command's connection, closing it after. */
export async function within<T>(
  command: Command,
  flags: Flags,
  run: (session: Session) => Promise<T>,
): Promise<T> {
  const session = openSession(command, flags);
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

/** A subcommand with the connection options and `--json`. */
export function accountCommand(parent: Command, name: string, description: string): Command {
  // `mailtrap-kit domains` (no subcommand) lists, as a newcomer expects
  const command = parent.command(name, { isDefault: name === 'list' }).description(description);
  return addConnectionOptions(command).addOption(jsonOption());
}
