import type { LoadSettings } from './fixtures.js';
import { measureRun, type RunMeasurement, runConcurrently } from './measure.js';

/**
 * The load of the CPU-per-send cases: warm-up sends (JIT, connections), then one measured run of
 * `sends` at `concurrency`. `peak` is measureRun's way of finding the peak RSS.
 */
export async function sendLoad(
  settings: LoadSettings,
  send: () => Promise<unknown>,
  peak?: Parameters<typeof measureRun>[2],
  extra?: () => Record<string, number | string>,
): Promise<RunMeasurement[]> {
  await runConcurrently(settings.warmup, settings.concurrency, send);
  return [
    await measureRun(
      settings.sends,
      async () => {
        await runConcurrently(settings.sends, settings.concurrency, send);
        return extra?.();
      },
      peak,
    ),
  ];
}
