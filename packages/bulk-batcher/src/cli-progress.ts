import cliProgress from 'cli-progress';
import type { BulkProgress } from './progress';
import type { BulkRun } from './run';

/** 12s, 3m05s, 1h02m. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '?';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** One line of progress: the same counts the summary prints. */
export function describeProgress(progress: BulkProgress): string {
  return `${progress.finished}/${progress.total ?? '?'} sent ${progress.sent} failed ${progress.failed - progress.invalid} uncertain ${progress.uncertain} unsent ${progress.unsent} | ${progress.recipientsPerSecond}/s | ETA ${duration(progress.etaMs)}${progress.phase === 'settling' ? ' | checking Email Logs' : ''}`;
}

/**
 * The progress of `mailtrap-bulk send` on stderr: a bar on a terminal, a line every few seconds
 * otherwise. `stop()` ends it for good (before the summary, and at Ctrl-C), so nothing redraws over
 * what is printed after it. The bar counts valid recipients: its total is the rows that can be sent.
 */
export class CliProgress {
  private bar: cliProgress.SingleBar | undefined;
  private timer: NodeJS.Timeout | undefined;
  private run: BulkRun | undefined;
  private stopped = false;
  private readonly onProgress = (progress: BulkProgress) => {
    if (this.stopped || !this.bar) return;
    this.bar.setTotal(progress.total ?? this.total);
    this.bar.update(progress.finished, {
      speed: progress.recipientsPerSecond,
      eta_text: duration(progress.etaMs),
      failed: progress.failed - progress.invalid,
      uncertain: progress.uncertain,
    });
  };

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly mode: 'bar' | 'lines' | 'off',
    private readonly total: number,
    private readonly intervalMs: number,
  ) {}

  follow(run: BulkRun): void {
    this.run = run;
    if (this.mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format:
            '{bar} {value}/{total} | {speed}/s | ETA {eta_text} | failed {failed} | uncertain {uncertain}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.total, 0, { speed: 0, eta_text: '?', failed: 0, uncertain: 0 });
      run.on('progress', this.onProgress);
    } else if (this.mode === 'lines') {
      this.timer = setInterval(
        () => this.stream.write(`mailtrap-bulk: ${describeProgress(run.snapshot())}\n`),
        this.intervalMs,
      );
      this.timer.unref();
    }
  }

  /** Ends the bar or the lines; safe to call more than once. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.run?.off('progress', this.onProgress);
    if (this.timer) clearInterval(this.timer);
    this.bar?.stop();
    this.bar = undefined;
  }
}
