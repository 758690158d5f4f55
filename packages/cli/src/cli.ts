#!/usr/bin/env node
import { processIo } from '@mailtrap-kit/cli-kit';
import { runKit } from './program';

runKit(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
