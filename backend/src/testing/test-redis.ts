import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

/** The Redis the specs use (CI may point elsewhere). */
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A key prefix of one test's own, so specs running side by side never share Redis keys. */
export const testPrefix = () => `pimtest${randomBytes(4).toString('hex')}`;

/** Deletes the Redis keys under `prefix`, through `redis` when given (left open), else a connection of its own. */
export async function dropPrefix(prefix: string, redis?: Redis | null): Promise<void> {
  const client = redis ?? new Redis(REDIS_URL);
  const keys = await client.keys(`${prefix}:*`);
  if (keys.length) await client.del(...keys);
  if (!redis) client.disconnect();
}
