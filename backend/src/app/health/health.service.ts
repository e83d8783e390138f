import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '@app/redis/redis.module';
import { HealthRepository } from './health.repository';
import { HealthResponse } from './health.response';

const PROBE_TIMEOUT_MS = 3_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly database: HealthRepository,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  async check(): Promise<HealthResponse> {
    const [db, redis] = await Promise.all([
      probe(() => this.database.ping()),
      this.redis ? probe(() => this.redis!.ping()) : Promise.resolve<'disabled'>('disabled'),
    ]);
    const status = db === 'down' ? 'down' : redis === 'down' ? 'degraded' : 'ok';
    return { status, db, redis };
  }
}

async function probe(fn: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS))),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
