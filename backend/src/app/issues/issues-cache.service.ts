import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { shareSerialized } from '../common/serialized-json';
import { APP_CONFIG } from '../config/config.module';

/** Entries also expire on their own (trends move with the clock). */
export const ISSUES_CACHE_TTL_MS = 10 * 60_000;

/**
 * Cache of the summary, trends and first list pages (Redis when REDIS_URL is set, memory otherwise). Every key
 * carries the current generation; runs and triage edits start a new generation, so all earlier entries are
 * unreachable at once — in every process sharing the store. A cache failure is a miss, never an error. Answers are
 * marked with `shareSerialized`, so an in-memory hit (the same object every time) is serialised once.
 */
@Injectable()
export class IssuesCacheService {
  private readonly logger = new Logger(IssuesCacheService.name);

  private readonly prefix: string;
  private readonly generationKey: string;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = `${config.redisPrefix}:issues`;
    this.generationKey = `${this.prefix}:generation`;
  }

  /** Computations in flight in this process, by full key: concurrent misses share one (no thundering herd). */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  async wrap<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let generation: string | undefined;
    try {
      generation = (await this.cache.get<string>(this.generationKey)) ?? undefined;
      if (!generation) {
        generation = randomUUID();
        await this.cache.set(this.generationKey, generation);
      }
      const hit = await this.cache.get<T>(`${this.prefix}:${generation}:${key}`);
      if (hit !== undefined && hit !== null) return shareSerialized(hit);
    } catch (error) {
      this.logger.warn(`cache read failed: ${errorMessage(error)}`);
    }
    const full = `${generation ?? 'none'}:${key}`;
    const running = this.inFlight.get(full) as Promise<T> | undefined;
    if (running) return running;
    const flight = this.computeAndStore(key, generation, compute).finally(() => this.inFlight.delete(full));
    this.inFlight.set(full, flight);
    return flight;
  }

  private async computeAndStore<T>(key: string, generation: string | undefined, compute: () => Promise<T>): Promise<T> {
    const value = await compute();
    if (generation)
      await this.cache
        .set(`${this.prefix}:${generation}:${key}`, value, ISSUES_CACHE_TTL_MS)
        .catch((error: Error) => this.logger.warn(`cache write failed: ${error.message}`));
    return shareSerialized(value);
  }

  async invalidate(): Promise<void> {
    try {
      await this.cache.set(this.generationKey, randomUUID());
    } catch (error) {
      this.logger.warn(`cache invalidation failed: ${errorMessage(error)}`);
    }
  }
}
