import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { errorMessage } from '@app/common/errors';

/** How long a process trusts the generation it knows before reading it again (a lost message costs at most this). */
export const GENERATION_CHECK_MS = 1000;

/**
 * The cache generation this process serves, shared by every process through Redis: the id is stored under
 * `<prefix>:generation` and a new one is published on `<prefix>:invalidate`, which every process subscribes to on
 * a connection of its own. A process that missed a message (disconnected, slow) reads the key again at most once
 * per GENERATION_CHECK_MS, so no answer outlives its generation by more than that. Without Redis the generation is
 * this process's own. `onChange` runs when the generation changes (the first level drops its entries).
 */
export class CacheGeneration {
  private readonly logger = new Logger('IssuesCache');
  private readonly key: string;
  private readonly channel: string;
  private current: string | undefined;
  private checkedAt = 0;
  /** Counts messages: a read of the key that started before the latest message must not undo it. */
  private messages = 0;
  private reading: Promise<string> | undefined;
  private subscriber: Redis | undefined;
  private failing = false;

  constructor(
    private readonly redis: Redis | null,
    prefix: string,
    private readonly onChange: () => void,
  ) {
    this.key = `${prefix}:generation`;
    this.channel = `${prefix}:invalidate`;
  }

  /** Subscribes to the invalidation channel (with Redis). */
  start(): void {
    if (!this.redis) return;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, generation: string) => {
      if (channel !== this.channel) return;
      this.messages++;
      this.adopt(generation);
      this.checkedAt = Date.now();
    });
    // Messages published while disconnected are lost: read the key on the next request after a (re)connection.
    subscriber.on('ready', () => (this.checkedAt = 0));
    subscriber.on('error', (error: Error) => this.warnOnce(`invalidation channel: ${error.message}`));
    subscriber.subscribe(this.channel).catch((error: unknown) => this.warnOnce(`subscribe: ${errorMessage(error)}`));
  }

  stop(): void {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    // Nothing to flush on a subscriber; QUIT would wait for a connection that may never come back.
    subscriber?.disconnect();
  }

  /** The generation to serve: known, or read from Redis when the last read is older than GENERATION_CHECK_MS. */
  get(): string | Promise<string> {
    if (this.current !== undefined && Date.now() - this.checkedAt < GENERATION_CHECK_MS) return this.current;
    if (!this.redis) return this.adopt(this.current ?? randomUUID());
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** The generation last known, without reading Redis. */
  get known(): string | undefined {
    return this.current;
  }

  /** Starts a new generation here and, through Redis, in every other process. */
  async next(): Promise<void> {
    const generation = randomUUID();
    this.messages++;
    this.adopt(generation);
    this.checkedAt = Date.now();
    if (!this.redis) return;
    try {
      await this.redis.multi().set(this.key, generation).publish(this.channel, generation).exec();
      this.recovered();
    } catch (error) {
      this.logger.warn(`cache invalidation failed: ${errorMessage(error)}`);
    }
  }

  private async read(): Promise<string> {
    const seen = this.messages;
    const redis = this.redis as Redis;
    try {
      let generation = await redis.get(this.key);
      if (!generation) {
        const fresh = randomUUID();
        generation = (await redis.set(this.key, fresh, 'NX')) ? fresh : ((await redis.get(this.key)) ?? fresh);
      }
      if (seen === this.messages) this.adopt(generation);
      this.recovered();
    } catch (error) {
      this.warnOnce(`cache generation read failed: ${errorMessage(error)}`);
      // Redis away: keep serving what this process knows (or a generation of its own) until the next check.
      if (this.current === undefined) this.adopt(`local-${randomUUID()}`);
    }
    this.checkedAt = Date.now();
    return this.current ?? this.adopt(`local-${randomUUID()}`);
  }

  private adopt(generation: string): string {
    if (generation !== this.current) {
      this.current = generation;
      this.onChange();
    }
    return generation;
  }

  /** Logs the first failure of a run of them (Redis down for a minute is one line, not one per request). */
  warnOnce(message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(message);
  }

  recovered(): void {
    this.failing = false;
  }
}
