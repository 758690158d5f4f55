/** Where a command writes and what it reads. `processIo()` in a bin; a capturing one in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

let quietOnClosedPipe = false;

/**
 * The process's streams, environment and working directory. A reader that stops early
 * (`mailtrap-kit logs | head`) ends the program quietly instead of with an EPIPE stack trace.
 */
export function processIo(): CliIo {
  if (!quietOnClosedPipe) {
    quietOnClosedPipe = true;
    for (const stream of [process.stdout, process.stderr])
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(process.exitCode ?? 0);
      });
  }
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
