import { DataSource } from 'typeorm';
import { sleep } from '@app/common/async';
import type { TestApp } from '../../testing/test-app';

/** Helpers of the run-lease end-to-end specs (processes that die, Redis keys of a test's prefix). */
export { dropPrefix, REDIS_URL } from '../../testing/test-redis';

/** Polls `probe` every 100 ms until it answers, for at most `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Kills an app as SIGKILL would: its pool goes first, so it neither finishes nor gives back what it holds. */
export async function crash(t: TestApp) {
  await t.running.app.get(DataSource).destroy();
  await t.close().catch(() => undefined);
}
