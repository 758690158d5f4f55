#!/usr/bin/env node
import { processIo, runProgram } from '@mailtrap-kit/cli-kit';
import { createBullmqProgram } from './cli-program';

const io = processIo();
runProgram(createBullmqProgram(io), process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // the Redis connections are closed by each command; a worker ends on Ctrl-C
});
