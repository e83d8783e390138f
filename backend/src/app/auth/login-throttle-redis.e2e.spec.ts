import Redis from 'ioredis';
import { api, ADMIN, ReplicaPair, startReplicaPair } from '../../testing/test-app';
import { LOGIN_LIMIT_PER_ACCOUNT } from './auth.constants';
import { dropPrefix, REDIS_URL, testPrefix } from '../../testing/test-redis';

/** With Redis, login throttling counts across replicas: N replicas do not multiply an attacker's attempts. */
describe('login throttling shared by two replicas through Redis', () => {
  const prefix = testPrefix();
  let replicas: ReplicaPair;
  let redis: Redis;

  beforeAll(async () => {
    replicas = await startReplicaPair({ REDIS_URL, REDIS_PREFIX: prefix });
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    if (redis) await dropPrefix(prefix, redis);
    redis?.disconnect();
    await replicas?.close();
  });

  it('refuses the attempt after the limit, wherever the earlier ones landed', async () => {
    const { a, b } = replicas;
    const bad = { email: ADMIN.email, password: 'wrong-password' };
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT; i++)
      statuses.push((await api(i % 2 ? b.url : a.url, 'POST', '/api/auth/login', { body: bad })).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    // Half the attempts went to each replica: alone, neither has reached the limit.
    const next = await api(a.url, 'POST', '/api/auth/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    expect(next.status).toBe(429);
    expect(next.body.message).toMatch(/too many login attempts/i);
    // The counters live under this deployment's prefix.
    const keys = await redis.keys(`${prefix}:throttle:*`);
    expect(keys.some((k) => k.includes('login-account'))).toBe(true);
  });
});
