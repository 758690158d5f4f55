#!/usr/bin/env node
import { processIo } from '@mailtrap-kit/cli-kit';
import { runCommand } from './command';

runCommand(process.argv.slice(2), processIo(), {
  // Runs until Ctrl+C (or SIGTERM), then closes the emulator.
  started: (emulator) =>
    new Promise<void>((resolve) => {
      const stop = () => {
        emulator.close().then(resolve, resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }),
}).then((code) => {
  process.exit(code);
});
