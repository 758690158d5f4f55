#!/usr/bin/env node
import { CommandLineError, runCommand, USAGE } from './command';

runCommand(process.argv.slice(2), process.stdout).then(
  (emulator) => {
    if (!emulator) return;
    const stop = () => {
      emulator.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (error: unknown) => {
    if (error instanceof CommandLineError)
      process.stderr.write(`mailtrap-emulator: ${error.message}\n\n${USAGE}`);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `mailtrap-emulator: ${(error as Error).message}: the port is taken; pass --port <n> (0 picks a free one)\n`,
      );
    } else process.stderr.write(`mailtrap-emulator: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
