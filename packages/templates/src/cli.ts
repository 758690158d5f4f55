#!/usr/bin/env node
import { processIo } from '@mailtrap-kit/cli-kit';
import { runCli } from './command';

runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
