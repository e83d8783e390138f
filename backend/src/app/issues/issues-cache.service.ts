import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type Redis from 'ioredis';
import { ByteLru } from '@app/common/byte-lru';
import { errorMessage } from '@app/common/errors';
import { shareSerializedAs } from '@app/common/serialized-json';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { REDIS_CLIENT } from '@app/redis/redis.module';
import { CacheGeneration } from './cache-generation';
import { withinMs } from './shared-cache';

/** Entries also expire on their own (trends move with the clock). */
export const ISSUES_CACHE_TTL_MS = 10 * 60_000;
/** With Redis, how long this process keeps an answer in memory before asking Redis again. */
export const LOCAL_TTL_MS = 60_000;
/** The first level's bounds (per process). */
export const LOCAL_MAX_BYTES = 64 * 1024 * 1024;
export const LOCAL_MAX_ENTRIES = 5000;
/** What one generation may store in Redis (every page of every list is cached: a crawl must not fill Redis, which
 *  Bull needs with its default noeviction policy). */
export const SHARED_MAX_BYTES = 256 * 1024 * 1024;
/** A larger answer is not stored in Redis. */
export const SHARED_MAX_VALUE_BYTES = 4 * 1024 * 1024;

/** One cached answer: the bytes sent, and the object they encode once a caller asked for it. */
interface Entry {
  body: Buffer;
  value?: unknown;
}

/**
 * The response cache of the summary, trends, issue and cluster lists (every page: keys are the whole normalised
 * query) and the status totals. Two levels: an LRU in this process bounded by bytes, in front of Redis (when
 * REDIS_URL is set). Both hold the answer as the bytes sent (its UTF-8 JSON), and an answer is sent as those bytes
 * (`shareSerializedAs`): a hit costs neither a serialisation nor, in memory, a parse.
 *
 * Every key carries the current generation (`CacheGeneration`): runs, triage edits, tracker and account changes
 * start a new one, published to every process through Redis, so all earlier entries are unreachable at once. A
 * cache failure is a miss, never an error. API_CACHE=off turns all of it off: every request computes.
 */
@Injectable()
export class IssuesCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly prefix: string;
  private readonly enabled: boolean;
  private readonly redis: Redis | null;
  /** The shared level (cache-manager over @keyv/redis), with Redis only. */
  private readonly shared: Cache | null;
  private readonly local = new ByteLru<Entry>(LOCAL_MAX_BYTES, LOCAL_MAX_ENTRIES);
  private readonly localTtlMs: number;
  private readonly generation: CacheGeneration;
  /** Computations in flight in this process, by full key: concurrent misses share one (no thundering herd). */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENT) redis: Redis | null,
    @Inject(CACHE_MANAGER) shared: Cache,
  ) {
    this.prefix = `${config.redisPrefix}:issues`;
    this.enabled = config.apiCache;
    this.redis = this.enabled && redis ? redis : null;
    this.shared = this.redis ? shared : null;
    this.localTtlMs = this.redis ? LOCAL_TTL_MS : ISSUES_CACHE_TTL_MS;
    this.generation = new CacheGeneration(this.redis, this.prefix, () => this.local.clear());
  }

  onModuleInit(): void {
    this.generation.start();
  }

  onApplicationShutdown(): void {
    this.generation.stop();
  }

  /** Whether answers are cached at all (API_CACHE). */
  get active(): boolean {
    return this.enabled;
  }

  async wrap<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) return compute();
    const known = this.generation.get();
    const generation = typeof known === 'string' ? known : await known;
    const full = `${generation}:${key}`;
    const hit = this.local.get(full);
    if (hit) return valueOf<T>(hit);
    const running = this.inFlight.get(full) as Promise<T> | undefined;
    if (running) return running;
    const flight = this.load(generation, key, compute).finally(() => this.inFlight.delete(full));
    this.inFlight.set(full, flight);
    return flight;
  }

  async invalidate(): Promise<void> {
    if (this.enabled) await this.generation.next();
  }

  private async load<T>(generation: string, key: string, compute: () => Promise<T>): Promise<T> {
    const shared = await this.read(generation, key);
    if (shared) return valueOf<T>(this.keep(generation, key, { body: shared }));
    const value = await compute();
    const body = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
    this.keep(generation, key, { body, value: shareSerializedAs(value, body) });
    await this.store(generation, key, body);
    return value;
  }

  /** Keeps an entry in this process, unless its generation ended while it was computed. */
  private keep(generation: string, key: string, entry: Entry): Entry {
    if (this.generation.known === generation)
      this.local.set(`${generation}:${key}`, entry, entry.body.length, this.localTtlMs);
    return entry;
  }

  private async read(generation: string, key: string): Promise<Buffer | null> {
    if (!this.shared) return null;
    try {
      const text = await withinMs(this.shared.get<string>(`${this.prefix}:${generation}:${key}`));
      this.generation.recovered();
      return typeof text === 'string' ? Buffer.from(text, 'utf8') : null;
    } catch (error) {
      this.generation.warnOnce(`cache read failed: ${errorMessage(error)}`);
      return null;
    }
  }

  private async store(generation: string, key: string, body: Buffer): Promise<void> {
    if (!this.shared || body.length > SHARED_MAX_VALUE_BYTES) return;
    try {
      // The generation's byte budget, counted before the write (a miss's cost only; it expires with the entries).
      const budget = `${this.prefix}:bytes:${generation}`;
      const counted = await this.redis!.multi().incrby(budget, body.length).pexpire(budget, ISSUES_CACHE_TTL_MS).exec();
      if (Number(counted?.[0]?.[1] ?? Infinity) > SHARED_MAX_BYTES) return;
      await withinMs(
        this.shared.set(`${this.prefix}:${generation}:${key}`, body.toString('utf8'), ISSUES_CACHE_TTL_MS),
      );
    } catch (error) {
      this.generation.warnOnce(`cache write failed: ${errorMessage(error)}`);
    }
  }
}

/** The answer an entry holds, parsed from its bytes once (an entry read from Redis), marked to be sent as them. */
function valueOf<T>(entry: Entry): T {
  if (!('value' in entry)) entry.value = shareSerializedAs(JSON.parse(entry.body.toString('utf8')), entry.body);
  return entry.value as T;
}

/**
 * The cache key of a list query: its kind and every set field, sorted by name (`?a=1&b=2` and `?b=2&a=1` are one
 * entry; the values themselves, arrays included, are kept as given).
 */
export function queryKey(kind: string, query: object): string {
  const fields = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${kind}:${JSON.stringify(Object.fromEntries(fields))}`;
}
