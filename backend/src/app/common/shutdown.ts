/**
 * Installs SIGTERM/SIGINT handlers at once (before anything is announced, so no signal can meet the default
 * "terminate" disposition), and runs `close` exactly once when one arrives — also if it arrived before the
 * app finished starting. Returns `ready(close)` to call when there is something to close.
 */
export function onShutdownSignal(
  log: (line: string) => void = (line) => process.stdout.write(line),
): (close: () => Promise<void>) => void {
  let closer: (() => Promise<void>) | undefined;
  let requested: string | undefined;
  let closing = false;
  const run = async () => {
    if (closing || !closer) return;
    closing = true;
    log(`${requested}: shutting down\n`);
    await closer().catch((error: unknown) => process.stderr.write(`shutdown: ${String(error)}\n`));
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      requested ??= signal;
      void run();
    });
  }
  return (close) => {
    closer = close;
    if (requested) void run();
  };
}
