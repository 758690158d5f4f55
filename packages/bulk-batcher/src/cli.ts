#!/usr/bin/env node
import { processIo } from '@mailtrap-kit/cli-kit';
import { runCli } from './cli-main';

runCli(process.argv.slice(2), {
  ...processIo(),
  stdout: process.stdout,
  stderr: process.stderr,
  script: process.argv[1],
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mailtrap-bulk: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
