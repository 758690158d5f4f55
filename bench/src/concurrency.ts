// No Node built-in here: the Worker of the single-send case bundles it for workerd.

/** Runs `total` calls of `task` with at most `concurrency` in flight; rejects on the first failure. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
