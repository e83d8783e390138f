import { exportDatasetToString, ZendeskDataset } from '@pim/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  api,
  connectClient,
  login,
  ReplicaPair,
  startReplicaPair,
  startTestApp,
  TestApp,
} from '../../testing/test-app';
import { importAndWait } from '../../testing/runs';
import { dropPrefix, REDIS_URL, testPrefix } from '../../testing/test-redis';
import { TicketStore } from '@app/tickets/ticket-store.service';
import { GENERATION_CHECK_MS } from './cache-generation';

/** Asks until the answer passes (a replica sees another's invalidation by message, at worst within the check). */
async function within<T>(ms: number, ask: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await ask();
    if (ok(value) || Date.now() - started > ms) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Two replicas on one database and one Redis: the cache is shared, and a change in one is seen by the other. */
describe('issues cache in Redis, shared by two replicas', () => {
  const prefix = testPrefix();
  const env = { REDIS_URL, REDIS_PREFIX: prefix };
  let replicas: ReplicaPair;
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
    replicas = await startReplicaPair(env);
    ({ a, b } = replicas);
    tokenA = await login(a.url);
    tokenB = await login(b.url);
    db = await connectClient(replicas.database.url);
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
    await replicas?.close();
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
    const after = await within(
      GENERATION_CHECK_MS,
      () => summary(a, tokenA),
      (v) => v.issues !== first.issues,
    );
    expect(after.issues).toBe(first.issues - 5);
  });

  it('stores every page of a list in Redis as the bytes a replica sends, and serves them from the other', async () => {
    const path = '/api/issues?severity=critical,high,medium,low&perPage=5&page=3';
    const raw = async (t: TestApp, token: string) => {
      const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      return Buffer.from(await response.arrayBuffer());
    };
    const fromA = await raw(a, tokenA);
    expect(JSON.parse(fromA.toString('utf8'))).toMatchObject({ page: 3, perPage: 5 });
    const generation = await redis.get(`${prefix}:issues:generation`);
    const keys = await redis.keys(`${prefix}:issues:${generation}:issues:*`);
    const stored = await Promise.all(keys.map((k) => redis.getBuffer(k)));
    expect(stored.some((value) => value?.equals(fromA))).toBe(true);
    // The other replica answers from those bytes, even after the rows changed behind the API's back.
    await db.query(`UPDATE issues SET hidden = true WHERE id IN (SELECT id FROM issues ORDER BY id DESC LIMIT 3)`);
    expect((await raw(b, tokenB)).equals(fromA)).toBe(true);
    // Query-parameter order does not make another entry.
    const reordered = '/api/issues?page=3&perPage=5&severity=critical,high,medium,low';
    expect((await api(b.url, 'GET', reordered, { token: tokenB })).body).toEqual(JSON.parse(fromA.toString('utf8')));
    expect(await redis.keys(`${prefix}:issues:${generation}:issues:*`)).toHaveLength(keys.length);
  });

  it('starts a new generation when a run on either replica ends', async () => {
    const before = await summary(a, tokenA);
    const run = await importAndWait(b, tokenB, lines.slice(120).join('\n'));
    expect(run.status).toBe('succeeded');
    const after = await within(
      GENERATION_CHECK_MS,
      () => summary(a, tokenA),
      (v) => v.issues > before.issues,
    );
    expect(after.issues).toBeGreaterThan(before.issues);
  }, 120_000);

  it('caches the ticket list; tickets deleted or scrubbed in Zendesk leave every replica’s lists at once', async () => {
    const tickets = async (t: TestApp, token: string) =>
      (await api(t.url, 'GET', '/api/tickets?perPage=100&sort=createdAt:desc', { token })).body;
    const issuesOf = async (t: TestApp, token: string, ticketId: number) =>
      (await api(t.url, 'GET', '/api/issues?perPage=200', { token })).body.items.filter(
        (i: { ticketId: number }) => i.ticketId === ticketId,
      );
    const first = await tickets(a, tokenA);
    const [gone, scrubbed] = first.items.map((t: { zendeskId: number }) => t.zendeskId) as number[];
    // Cached: a change behind the API's back does not show on either replica.
    await db.query(`UPDATE tickets SET subject = 'changed behind the API' WHERE zendesk_id = $1`, [gone]);
    expect((await tickets(b, tokenB)).items[0].subject).toBe(first.items[0].subject);

    // A sync on replica a finds one ticket deleted in Zendesk and one scrubbed: replica b's lists drop them at once.
    const { rows } = await db.query(
      `SELECT ticket_id FROM issues WHERE NOT hidden ORDER BY ticket_created_at DESC LIMIT 1`,
    );
    const withIssues = Number(rows[0].ticket_id);
    expect((await issuesOf(b, tokenB, withIssues)).length).toBeGreaterThan(0);
    const store = a.running.app.get(TicketStore);
    expect(await store.markDeleted([gone])).toBe(1);
    const ids = (body: { items: Array<{ zendeskId: number }> }) => body.items.map((t) => t.zendeskId);
    const afterDelete = await within(
      GENERATION_CHECK_MS,
      () => tickets(b, tokenB),
      (v) => !ids(v).includes(gone),
    );
    expect(ids(afterDelete)).not.toContain(gone);
    expect(ids(afterDelete)).toContain(scrubbed);
    expect(await store.scrubTickets([withIssues])).toBe(1);
    const left = await within(
      GENERATION_CHECK_MS,
      () => issuesOf(b, tokenB, withIssues),
      (v) => v.length === 0,
    );
    expect(left).toEqual([]);
  });

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
