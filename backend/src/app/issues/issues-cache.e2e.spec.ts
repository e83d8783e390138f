import { exportDatasetToString, ZendeskDataset } from '@pim/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import { api, login, startTestApp, TestApp } from '../../testing/test-app';
import { createTestDatabase, TestDatabase } from '../../testing/test-database';
import { importAndWait } from '../../testing/runs';
import { dropPrefix, REDIS_URL, testPrefix } from '../../testing/test-redis';

/** Two replicas on one database and one Redis: the cache is shared, and a change in one is seen by the other. */
describe('issues cache in Redis, shared by two replicas', () => {
  const prefix = testPrefix();
  const env = { REDIS_URL, REDIS_PREFIX: prefix };
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let tokenA: string;
  let tokenB: string;
  let db: Client;
  let redis: Redis;
  const lines: string[] = [];
  const summary = async (t: TestApp, token: string) =>
    (await api(t.url, 'GET', '/api/issues/summary?days=365', { token })).body;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp({ database, env });
    b = await startTestApp({ database, env });
    tokenA = await login(a.url);
    tokenB = await login(b.url);
    db = new Client({ connectionString: database.url });
    await db.connect();
    redis = new Redis(REDIS_URL);
    const dataset = new ZendeskDataset({ tickets: 160, seed: 3 });
    lines.push(...(await exportDatasetToString(dataset, { format: 'jsonl' })).split('\n').filter(Boolean));
    const run = await importAndWait(a, tokenA, lines.slice(0, 120).join('\n'));
    expect(run.status).toBe('succeeded');
  }, 180_000);

  afterAll(async () => {
    if (redis) await dropPrefix(prefix, redis);
    redis?.disconnect();
    await db?.end();
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('serves one replica from what the other cached, under this deployment’s prefix', async () => {
    const first = await summary(a, tokenA);
    expect(first.issues).toBeGreaterThan(10);
    expect((await redis.keys(`${prefix}:issues:*`)).length).toBeGreaterThanOrEqual(2); // generation + entry
    // Changed behind the API's back: a cached answer does not see it…
    await db.query(`UPDATE issues SET hidden = true WHERE id IN (SELECT id FROM issues ORDER BY id LIMIT 5)`);
    expect((await summary(b, tokenB)).issues).toBe(first.issues);
    // …until a triage edit on the other replica starts a new generation for both.
    const [cluster] = (await db.query(`SELECT id FROM clusters WHERE active LIMIT 1`)).rows;
    expect(
      (await api(b.url, 'PATCH', `/api/clusters/${cluster.id}`, { token: tokenB, body: { pmNotes: 'seen' } })).status,
    ).toBe(200);
    expect((await summary(a, tokenA)).issues).toBe(first.issues - 5);
  });

  it('starts a new generation when a run on either replica ends', async () => {
    const before = await summary(a, tokenA);
    const run = await importAndWait(b, tokenB, lines.slice(120).join('\n'));
    expect(run.status).toBe('succeeded');
    expect((await summary(a, tokenA)).issues).toBeGreaterThan(before.issues);
  }, 120_000);

  it('keeps deployments with another prefix apart on the same Redis', async () => {
    const other = await startTestApp({ env: { REDIS_URL, REDIS_PREFIX: `${prefix}x` } });
    try {
      const token = await login(other.url);
      expect((await summary(other, token)).issues).toBe(0);
    } finally {
      await other.close();
      const keys = await redis.keys(`${prefix}x:*`);
      if (keys.length) await redis.del(...keys);
    }
  });
});
