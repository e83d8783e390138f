import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { serializedJsonOf } from '@app/common/serialized-json';
import { AppConfig } from '@app/config/app-config';
import { GENERATION_CHECK_MS } from './cache-generation';
import { IssuesCacheService, queryKey } from './issues-cache.service';
import { createSharedCache } from './shared-cache';
import type { Cache } from 'cache-manager';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** As RedisModule makes the shared client: fail fast while Redis is away. */
const client = (url = REDIS_URL) => new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
const ready = (redis: Redis) => new Promise((resolve) => redis.once('ready', resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cache service on real Redis, two instances sharing a prefix standing for two replicas. */
describe('IssuesCacheService on Redis', () => {
  const prefix = `pimtest${randomBytes(4).toString('hex')}`;
  const config = (over: Partial<AppConfig> = {}) => ({ redisPrefix: prefix, apiCache: true, ...over }) as AppConfig;
  const clients: Redis[] = [];
  const services: IssuesCacheService[] = [];
  const shared: Cache[] = [];
  let redis: Redis;

  const service = async (over: Partial<AppConfig> = {}, url = REDIS_URL) => {
    const connection = client(url);
    connection.on('error', () => undefined);
    clients.push(connection);
    if (url === REDIS_URL) await ready(connection);
    const store = createSharedCache(url);
    shared.push(store);
    const cache = new IssuesCacheService(config(over), connection, store);
    cache.onModuleInit();
    services.push(cache);
    return cache;
  };
  const counter = () => {
    let n = 0;
    return { compute: async () => ({ n: ++n, at: new Date(0), text: 'é ✓' }), calls: () => n };
  };

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await ready(redis);
  });

  afterAll(async () => {
    for (const s of services) s.onApplicationShutdown();
    for (const c of clients) c.disconnect();
    await Promise.all(shared.map((c) => c.disconnect().catch(() => undefined)));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('stores the answer in Redis as the bytes sent, and hands out an object sent as those bytes', async () => {
    const a = await service();
    const { compute, calls } = counter();
    const value = await a.wrap('summary:7', compute);
    const generation = await redis.get(`${prefix}:issues:generation`);
    const stored = await redis.getBuffer(`${prefix}:issues:${generation}:summary:7`);
    expect(stored).toBeInstanceOf(Buffer);
    expect(stored!.equals(Buffer.from(JSON.stringify({ n: 1, at: new Date(0), text: 'é ✓' }), 'utf8'))).toBe(true);
    expect(serializedJsonOf(value)!.equals(stored!)).toBe(true);
    // A hit in memory is the same object (no parse, no serialisation); the computation ran once.
    expect(await a.wrap('summary:7', compute)).toBe(value);
    expect(calls()).toBe(1);
    // Another replica reads the bytes from Redis and sends them as they are.
    const b = await service();
    const shared = await b.wrap('summary:7', compute);
    expect(calls()).toBe(1);
    expect(shared).toEqual({ n: 1, at: new Date(0).toISOString(), text: 'é ✓' });
    expect(serializedJsonOf(shared)!.equals(stored!)).toBe(true);
  });

  it('drops every replica’s entries when one invalidates: at once by message, within the check interval without', async () => {
    const [a, b] = [await service(), await service()];
    await sleep(100); // both subscribed
    const { compute, calls } = counter();
    expect(await a.wrap('k', compute)).toMatchObject({ n: 1 });
    expect(await b.wrap('k', compute)).toMatchObject({ n: 1 });
    await b.invalidate();
    // The message travels (a few ms; polled rather than a fixed wait, well within the check interval).
    const sent = Date.now();
    let after = (await a.wrap('k', compute)) as { n: number };
    while (after.n === 1 && Date.now() - sent < GENERATION_CHECK_MS / 2) {
      await sleep(10);
      after = (await a.wrap('k', compute)) as { n: number };
    }
    expect(after).toMatchObject({ n: 2 });
    expect(calls()).toBe(2);
    // A new generation written without a message (a lost one): seen within GENERATION_CHECK_MS.
    await redis.set(`${prefix}:issues:generation`, `lost-${randomBytes(4).toString('hex')}`);
    const started = Date.now();
    let seen = (await a.wrap('k', compute)) as { n: number };
    while (seen.n === 2 && Date.now() - started < GENERATION_CHECK_MS + 500) {
      await sleep(50);
      seen = (await a.wrap('k', compute)) as { n: number };
    }
    expect(seen.n).toBe(3);
    expect(Date.now() - started).toBeLessThanOrEqual(GENERATION_CHECK_MS + 200);
  });

  it('shares one computation between concurrent misses and keeps an answer computed across an invalidation out of the new generation', async () => {
    const a = await service();
    let release!: () => void;
    let n = 0;
    const slow = () =>
      new Promise<{ n: number }>((resolve) => {
        n++;
        release = () => resolve({ n });
      });
    const first = Promise.all([a.wrap('slow', slow), a.wrap('slow', slow)]);
    // The computation starts once Redis has said "miss" (a round trip, slower on a busy machine); then no other.
    for (let i = 0; i < 100 && n === 0; i++) await sleep(20);
    await sleep(20);
    expect(n).toBe(1);
    await a.invalidate();
    release();
    const [x, y] = await first;
    expect(x).toBe(y);
    expect(await a.wrap('slow', async () => ({ n: 99 }))).toEqual({ n: 99 });
  });

  it('is a miss, never an error, while Redis is unreachable', async () => {
    const down = await service({}, 'redis://127.0.0.1:1');
    const { compute, calls } = counter();
    await expect(down.wrap('x', compute)).resolves.toMatchObject({ n: 1 });
    await expect(down.invalidate()).resolves.toBeUndefined();
    await expect(down.wrap('x', compute)).resolves.toMatchObject({ n: 2 });
    expect(calls()).toBe(2);
  });

  it('computes every time with API_CACHE=off and stores nothing', async () => {
    const off = await service({ apiCache: false, redisPrefix: `${prefix}off` });
    const { compute, calls } = counter();
    await off.wrap('x', compute);
    const second = await off.wrap('x', compute);
    expect(calls()).toBe(2);
    expect(serializedJsonOf(second)).toBeUndefined();
    expect(await redis.keys(`${prefix}off:*`)).toEqual([]);
  });

  it('keys a list query by its set fields whatever their order', () => {
    expect(queryKey('issues', { page: 5, severity: ['critical', 'high'], search: undefined })).toBe(
      queryKey('issues', { severity: ['critical', 'high'], page: 5 }),
    );
    expect(queryKey('issues', { page: 5 })).not.toBe(queryKey('issues', { page: 6 }));
  });
});
