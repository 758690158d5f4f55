// The emulator in its own process (so its CPU and memory are not counted against the client).
const options = JSON.parse(process.argv[2] ?? '{}');

async function main(): Promise<void> {
  let startEmulator: ((options: Record<string, unknown>) => Promise<any>) | undefined;
  try {
    // Loaded by name at run time (like every package under test, see packages.ts).
    const emulatorPackage = '@mailtrap-kit/emulator';
    ({ startEmulator } = (await import(emulatorPackage)) as any);
  } catch (error) {
    process.send?.({
      type: 'error',
      unavailable: true,
      message: `@mailtrap-kit/emulator is not built (${String(error)})`,
    });
    return;
  }
  if (typeof startEmulator !== 'function') {
    process.send?.({
      type: 'error',
      unavailable: true,
      message: '@mailtrap-kit/emulator does not export startEmulator yet',
    });
    return;
  }
  const emulator = await startEmulator(options);
  process.send?.({
    type: 'ready',
    value: {
      url: emulator.url,
      endpoints: emulator.endpoints,
      token: emulator.token,
      accountId: emulator.accountId,
      smtp: emulator.smtp ? { host: emulator.smtp.host, port: emulator.smtp.port } : undefined,
      pid: process.pid,
    },
  });
  const stop = () => {
    emulator.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((error) => {
  process.send?.({ type: 'error', message: String(error?.stack ?? error) });
});
