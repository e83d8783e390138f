import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TcpProxy } from '../../testing/tcp-proxy';
import { api, login, startTestApp, TestApp } from '../../testing/test-app';
import { createTestDatabase, TEST_SERVER_URL, TestDatabase } from '../../testing/test-database';
import { PIPELINE_QUEUE_NAME } from './queue/pipeline-queue';
import { dropPrefix, REDIS_URL, until } from './run-lease.testing';
import { testPrefix } from '../../testing/test-redis';

/**
 * No run is ever stuck: runs whose process died, or whose job failed in Bull, end (resumed, or failed with the
 * reason), and never block the next run (a run that crashes every process: run-crash-loop.e2e.spec.ts). Real
 * PostgreSQL and Redis; a "process" is an app in this Jest process (its own pools and Bull consumer).
 */
jest.setTimeout(240_000);

const prefix = testPrefix();
let database: TestDatabase;
let db: Client;
const apps: TestApp[] = [];
const server = new URL(TEST_SERVER_URL);
const proxy = new TcpProxy(server.hostname, Number(server.port || 5432));

beforeEach(async () => {
  database = await createTestDatabase();
  db = new Client({ connectionString: database.url });
  await db.connect();
});
afterEach(async () => {
  await db.end();
  for (const t of apps.splice(0)) await t.close().catch(() => undefined);
  await proxy.cut().catch(() => undefined);
  await database.drop();
  await dropPrefix(prefix);
});

const start = async (env: Record<string, string>, url = database.url) => {
  const t = await startTestApp({
    database: { ...database, url },
    env: { REDIS_URL, REDIS_PREFIX: prefix, ...env },
  });
  apps.push(t);
  return t;
};
const run = async (id: string) => (await db.query(`SELECT * FROM runs WHERE id = $1`, [id])).rows[0];
const ended = (id: string, timeoutMs = 60_000) =>
  until(
    `run ${id} to end`,
    async () => {
      const r = await run(id);
      return r && (r.status === 'succeeded' || r.status === 'failed') ? r : undefined;
    },
    timeoutMs,
  );
/** A run as an API process creates it (queued, no job yet seen by anyone). */
const insertRun = async (status = 'queued', createdAgo = '0 seconds') =>
  (
    await db.query(
      `INSERT INTO runs (kind, trigger, status, phase, created_at)
       VALUES ('analyze', 'reanalyze', $1, $2, now() - $3::interval) RETURNING id`,
      [status, status === 'queued' ? 'queued' : 'analyze', createdAgo],
    )
  ).rows[0].id as string;

describe('runs with Redis: a dead run never stays active', () => {
  it("ends a run failed when its job failed in Bull (the worker's database away through the job's attempts)", async () => {
    await proxy.start();
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    const apiApp = await start({ PROCESS_ROLE: 'api', RUN_LEASE_MS: '2000' });
    await start({ PROCESS_ROLE: 'worker', RUN_LEASE_MS: '2000' }, proxied.toString());
    await proxy.cut(); // the worker cannot reach the database any more

    const runId = await insertRun();
    const queue = apiApp.running.app.get<Queue>(getQueueToken(PIPELINE_QUEUE_NAME));
    const job = await queue.add('run', { runId }, { jobId: `run:${runId}:1`, attempts: 1 });
    await until('the job to fail', async () => (await queue.getJob(job.id!))?.isFailed());

    const r = await ended(runId, 30_000);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/job failed in the queue/i);
    // The next run is accepted.
    const token = await login(apiApp.url);
    const next = await api(apiApp.url, 'POST', '/api/analysis/reanalyze', { token, body: {} });
    expect(next.status).toBe(202);
  });

  it('accepts a trigger while the active run is dead (nobody executes it, no job), ending that run with the reason', async () => {
    // A long lease: the periodic check (every 15 s) does not come first; the trigger path itself must check.
    const t = await start({ PROCESS_ROLE: 'all', RUN_LEASE_MS: '60000' });
    const token = await login(t.url);
    const dead = await insertRun('running', '10 minutes');
    const res = await api(t.url, 'POST', '/api/analysis/reanalyze', { token, body: {} });
    expect(res.status).toBe(202);
    expect((await run(dead)).status).toBe('failed');
    expect((await run(dead)).error).toMatch(/new run could start/);
    expect((await ended(res.body.runId)).status).toBe('succeeded');
  });

  it('resumes a run whose process died (expired lease), then fails it with the reason past RUN_MAX_ATTEMPTS', async () => {
    const t = await start({ PROCESS_ROLE: 'all', RUN_LEASE_MS: '1500', RUN_MAX_ATTEMPTS: '3' });
    const token = await login(t.url);
    // Left running by a process that is gone: nobody holds it, and its job is gone with it.
    const orphan = await insertRun('running', '1 minute');
    const resumed = await ended(orphan);
    expect(resumed.status).toBe('succeeded');

    // Held by a worker elsewhere that stopped renewing its lease, after two executions: resumed as the third.
    const [{ id: held }] = (
      await db.query(
        `INSERT INTO runs (kind, trigger, status, phase, owner, claim_token, attempts, lease_until, heartbeat_at)
         VALUES ('analyze', 'reanalyze', 'running', 'analyze', 'elsewhere:4242:dead', $1, 2, now() - interval '1 second',
                 now() - interval '5 seconds') RETURNING id`,
        [randomUUID()],
      )
    ).rows;
    const third = await ended(held);
    expect(third).toMatchObject({ status: 'succeeded', attempts: 3 });
    const view = (await api(t.url, 'GET', `/api/sync/runs/${held}`, { token })).body;
    expect(view.stats.attempts).toBe(3);
    expect(view.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /worker running it \(elsewhere:4242:dead\) stopped responding; last seen/,
    );

    // Its third execution died too: it is failed, not resumed again, with what happened.
    const [{ id: given }] = (
      await db.query(
        `INSERT INTO runs (kind, trigger, status, phase, owner, claim_token, attempts, lease_until, heartbeat_at)
         VALUES ('analyze', 'reanalyze', 'running', 'analyze', 'elsewhere:4242:dead', $1, 3, now() - interval '1 second',
                 '2026-12-01T10:00:00Z') RETURNING id`,
        [randomUUID()],
      )
    ).rows;
    const failed = await ended(given);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatch(
      /The worker running it stopped responding 3 times; last seen 2026-12-01T10:00:00.000Z/,
    );
    // And the next run is accepted.
    const next = await api(t.url, 'POST', '/api/analysis/reanalyze', { token, body: {} });
    expect(next.status).toBe(202);
  });
});
