import KeyvRedis from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';

/** How long a read or write of the shared level may take before it counts as a miss (Redis slow or away). */
export const SHARED_TIMEOUT_MS = 250;

/**
 * The shared (second) level of the issues cache: cache-manager over @keyv/redis (not cache-manager-redis-yet: it
 * needs cache-manager 5, and its del/clear fail with 7). Values are the answers' JSON text, stored as they are: the
 * Keyv envelope is left out (Redis expires the key itself), so Redis holds exactly the bytes sent and a read needs
 * no parse of an envelope. While Redis is away commands fail at once (no offline queue): a miss, never a wait.
 */
export function sharedStore(url: string): Keyv<string> {
  const store = new KeyvRedis(
    { url, disableOfflineQueue: true, socket: { connectTimeout: 2000 } },
    { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: SHARED_TIMEOUT_MS },
  );
  const keyv = new Keyv<string>({
    store,
    useKeyPrefix: false,
    serialize: (data) => String(data.value),
    deserialize: <Value>(text: string) => ({ value: text as Value }),
  });
  keyv.namespace = undefined; // our keys carry REDIS_PREFIX already (as @keyv/redis's own createKeyv does)
  return keyv;
}

/** cache-manager over the shared store (what CacheModule provides as CACHE_MANAGER; tests make one directly). */
export const createSharedCache = (url: string): Cache => createCache({ stores: [sharedStore(url)] });

/** The promise, or undefined after `ms` (the caller treats it as a miss). */
export async function withinMs<T>(promise: Promise<T>, ms = SHARED_TIMEOUT_MS): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
