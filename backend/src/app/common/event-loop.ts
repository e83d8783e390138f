/** Lets timers and I/O (HTTP requests, Bull's lock renewal) run before the next piece of CPU work. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * CPU work in slices: `maybeYield()` after each item yields once `sliceMs` have passed since the last yield, so a
 * loop over thousands of tickets never holds the event loop longer than about one slice plus one item.
 */
export class TimeSlicer {
  private since = Date.now();

  constructor(private readonly sliceMs = 50) {}

  async maybeYield(): Promise<void> {
    if (Date.now() - this.since < this.sliceMs) return;
    await yieldToEventLoop();
    this.since = Date.now();
  }
}
