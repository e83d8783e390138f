import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { sleep } from '../common/async';
import type { TestApp } from '../../testing/test-app';

/** Helpers of the run-lease end-to-end specs (processes that die, Redis keys of a test's prefix). */
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

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

/** Deletes the Redis keys of a test's prefix. */
export async function dropPrefix(prefix: string) {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** Kills an app as SIGKILL would: its pool goes first, so it neither finishes nor gives back what it holds. */
export async function crash(t: TestApp) {
  await t.running.app.get(DataSource).destroy();
  await t.close().catch(() => undefined);
}
