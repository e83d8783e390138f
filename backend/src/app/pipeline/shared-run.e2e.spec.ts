import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { api, connectClient, login, startTestApp, TestApp } from '../../testing/test-app';
import { importFile } from '../../testing/runs';
import { createTestDatabase, TestDatabase } from '../../testing/test-database';
import { CHUNK_SIZE } from './chunks/run-chunks.service';
import { IN_PROCESS_LANES, SharedAnalysisService } from './chunks/shared-analysis.service';
import { PIPELINE_QUEUE_NAME } from './queue/pipeline-queue';
import { dropPrefix, REDIS_URL, testPrefix } from '../../testing/test-redis';

/**
 * Two worker processes share one run's analyze phase (Bull on the real Redis, chunks claimed in the real
 * PostgreSQL). The "processes" are separate Nest applications in this Jest process — what the test harness
 * starts: each has its own Bull consumer (its own Redis connections), its own database pool and its own worker
 * id ("host:pid#n"), and shares nothing with the others but the database and Redis, as separate processes do.
 * One API instance (PROCESS_ROLE=api) takes the upload; two instances with PROCESS_ROLE=worker execute the run.
 * A worker "dying" is simulated by closing its database pool under it and then its application: it can neither
 * finish nor give back its chunk, which is then taken over when its lease (RUN_CHUNK_LEASE_MS) runs out.
 */
const TICKETS = 1000;
const LEASE_MS = 1500;

const PROBLEMS = [
  'The CSV export times out for big reports and we cannot send the monthly numbers to finance.',
  'We are stuck in a login loop after rotating the SAML certificate, nobody on the team can sign in.',
  'Slack notifications stopped arriving since the last update, we miss every new order.',
  'The invoice PDF shows the wrong tax rate for our German customers, this is a compliance problem.',
  'The mobile app crashes every time I upload a photo larger than 10 MB.',
  'How do I change the billing email? I could not find it anywhere in the settings.',
  'Thanks, all good now, you can close this ticket.',
];

/** A JSONL import of `count` tickets; `padding` repeats of filler text make each ticket slower to analyse. */
function ticketsFile(count: number, padding = 0): string {
  const filler = ' We tried again this morning with the same result and the team is waiting on it.'.repeat(padding);
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: 10_000 + i,
      subject: `Customer ${i}: ${PROBLEMS[i % PROBLEMS.length]!.slice(0, 40)}`,
      body: `${PROBLEMS[i % PROBLEMS.length]} Account ${i}.${filler}`,
      organization: `Org ${i % 37}`,
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      comments: [{ body: 'Thanks for the report, we are looking into it.', public: true, author_role: 'agent' }],
    }),
  ).join('\n');
}

interface Cluster {
  prefix: string;
  database: TestDatabase;
  api: TestApp;
  workers: TestApp[];
  db: Client;
  token: string;
}

async function startCluster(): Promise<Cluster> {
  const prefix = testPrefix();
  const database = await createTestDatabase();
  const env = { REDIS_URL, REDIS_PREFIX: prefix, RUN_CHUNK_LEASE_MS: String(LEASE_MS) };
  const apiApp = await startTestApp({ database, env: { ...env, PROCESS_ROLE: 'api' } });
  const workers = [];
  for (let i = 0; i < 2; i++) workers.push(await startTestApp({ database, env: { ...env, PROCESS_ROLE: 'worker' } }));
  const db = await connectClient(database.url);
  return { prefix, database, api: apiApp, workers, db, token: await login(apiApp.url) };
}

async function stopCluster(c: Cluster | undefined): Promise<void> {
  if (!c) return;
  // A run shows succeeded before its job ends (it then refreshes the caches): apps close once no job is active.
  const queue = c.api.running.app.get<Queue>(getQueueToken(PIPELINE_QUEUE_NAME));
  for (let i = 0; i < 200 && (await queue.getJobCounts()).active > 0; i++) await sleep(50);
  await c.db.end();
  for (const t of [...c.workers, c.api]) await t.close().catch(() => undefined);
  await dropPrefix(c.prefix);
  await c.database.drop();
}

const workerId = (t: TestApp) => t.running.app.get(SharedAnalysisService).workerId;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every ticket has exactly one analysis record (of this run), is analysed at its text, and has no duplicated issue. */
async function expectEachTicketAnalysedOnce(db: Client, runId: string, tickets: number) {
  const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
  const [counts] = await q(
    `SELECT (SELECT count(*) FROM tickets)::int AS tickets,
            (SELECT count(*) FROM tickets WHERE analyzed_hash = content_hash)::int AS analysed,
            (SELECT count(*) FROM ticket_analyses)::int AS analyses,
            (SELECT count(*) FROM ticket_analyses WHERE run_id = $1)::int AS "ofRun",
            (SELECT count(DISTINCT ticket_id) FROM ticket_analyses)::int AS "ticketsWithAnalysis",
            (SELECT count(*) FROM issues)::int AS issues`,
    [runId],
  );
  expect(counts).toMatchObject({
    tickets,
    analysed: tickets,
    analyses: tickets,
    ofRun: tickets,
    ticketsWithAnalysis: tickets,
  });
  expect(counts.issues).toBeGreaterThan(tickets / 2); // most of the texts report a problem
  // Each issue belongs to its ticket's one analysis, and no ticket has the same issue twice.
  const [issues] = await q(
    `SELECT count(*) FILTER (WHERE a.id IS NULL OR a.ticket_id <> i.ticket_id)::int AS orphans,
            (SELECT count(*) FROM (SELECT 1 FROM issues GROUP BY ticket_id, category, subcategory, summary
                                    HAVING count(*) > 1) d)::int AS duplicates
       FROM issues i LEFT JOIN ticket_analyses a ON a.id = i.analysis_id`,
  );
  expect(issues).toEqual({ orphans: 0, duplicates: 0 });
}

/** Polls the run until it ends, keeping what GET /api/sync/runs/{id} said during the analyze phase. */
async function followRun(c: Cluster, runId: string, onPoll?: (run: any) => Promise<void>) {
  const analyzing: Array<{ done: number; total: number | null }> = [];
  const started = Date.now();
  for (;;) {
    const run = (await api(c.api.url, 'GET', `/api/sync/runs/${runId}`, { token: c.token })).body;
    if (run.phase === 'analyze') analyzing.push({ done: run.done, total: run.total });
    if (run.status === 'succeeded' || run.status === 'failed') return { run, analyzing };
    await onPoll?.(run);
    if (Date.now() - started > 240_000) throw new Error(`run ${runId} still ${run.status} (${run.phase})`);
    await sleep(25);
  }
}

/**
 * Imports a slow file and follows its run; once the run has a coordinator, the other worker is stopped with `stop`
 * while it holds a chunk. The run as it ended, the worker stopped and the chunk it held.
 */
async function stopHelperHoldingChunk(c: Cluster, stop: (helper: TestApp) => Promise<void>) {
  const runId = await importFile(c.api, c.token, ticketsFile(TICKETS, 60));
  let stopped: TestApp | undefined;
  let chunk: number | undefined;
  const { run } = await followRun(c, runId, async (current) => {
    if (stopped || !current.stats?.coordinator) return;
    const helper = c.workers.find((w) => workerId(w) !== current.stats.coordinator)!;
    for (let i = 0; i < 2000 && chunk === undefined; i++) {
      const held = await c.db.query(
        `SELECT seq FROM run_chunks WHERE run_id = $1 AND status = 'claimed' AND claimed_by = $2`,
        [runId, workerId(helper)],
      );
      if (held.rows.length) chunk = held.rows[0].seq as number;
      else await sleep(5);
    }
    expect(chunk).toBeDefined();
    stopped = helper;
    await stop(helper);
  });
  return { runId, run, stopped, chunk };
}

jest.setTimeout(300_000);
let c: Cluster | undefined;
afterEach(async () => {
  await stopCluster(c);
  c = undefined;
});

describe('a run shared by two worker processes (Bull on Redis, chunks in PostgreSQL)', () => {
  it('splits the analyze phase into chunks that both workers analyse, each ticket once', async () => {
    c = await startCluster();
    const ids = c.workers.map(workerId);
    expect(new Set(ids).size).toBe(2);

    const runId = await importFile(c.api, c.token, ticketsFile(TICKETS, 20));
    // The local analyzer is CPU work in the worker: each worker holds two chunks at once (IN_PROCESS_LANES), one
    // analysed while the other's reads and writes wait on PostgreSQL.
    let mostHeldByOne = 0;
    const { run, analyzing } = await followRun(c, runId, async (current) => {
      for (let i = 0; i < 400 && current.phase === 'analyze' && mostHeldByOne < IN_PROCESS_LANES; i++) {
        const held = await c!.db.query(
          `SELECT count(*)::int AS n FROM run_chunks WHERE run_id = $1 AND status = 'claimed' GROUP BY claimed_by`,
          [runId],
        );
        mostHeldByOne = Math.max(mostHeldByOne, ...held.rows.map((r) => r.n as number));
        if (!held.rows.length) break;
        await sleep(2);
      }
    });
    expect(run).toMatchObject({ status: 'succeeded', error: null, stats: { rowsImported: TICKETS } });
    expect(mostHeldByOne).toBe(IN_PROCESS_LANES);
    const chunks = Math.ceil(TICKETS / CHUNK_SIZE);
    expect(run.stats.analysisChunks).toBe(chunks);
    expect(ids).toContain(run.stats.coordinator);
    // Both workers did chunks, and every chunk is counted once.
    expect(Object.keys(run.stats.workers).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(run.stats.workers[id]).toBeGreaterThanOrEqual(1);
    expect(Object.values(run.stats.workers as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(chunks);

    // Progress of the analyze phase counted every worker's tickets against one total: the ticket count.
    expect(analyzing.length).toBeGreaterThan(0);
    const totals = analyzing.filter((p) => p.total !== null);
    expect(totals.length).toBeGreaterThan(0);
    for (const p of totals) expect(p.total).toBe(TICKETS);
    const dones = analyzing.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));

    const { rows } = await c.db.query(
      `SELECT status, count(*)::int AS n, sum(cardinality(ticket_ids))::int AS tickets,
              sum(done_tickets)::int AS done, max(attempts)::int AS attempts
         FROM run_chunks WHERE run_id = $1 GROUP BY status`,
      [runId],
    );
    expect(rows).toEqual([{ status: 'done', n: chunks, tickets: TICKETS, done: TICKETS, attempts: 1 }]);
    await expectEachTicketAnalysedOnce(c.db, runId, TICKETS);
  });

  it('takes over the chunk of a worker that dies mid-run once its lease runs out; nothing missing or twice', async () => {
    c = await startCluster();
    // The worker that is not coordinating the run dies while it holds a chunk.
    const {
      runId,
      run,
      stopped: victim,
      chunk: victimChunk,
    } = await stopHelperHoldingChunk(c, async (helper) => {
      await helper.running.app.get(DataSource).destroy(); // it can write nothing more, not even "give back"
      await helper.close();
    });
    expect(victim).toBeDefined();
    const survivor = workerId(c.workers.find((w) => w !== victim)!);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.stats.coordinator).toBe(survivor);

    const { rows } = await c.db.query(
      `SELECT status, attempts, claimed_by, done_by, (finished_at - claimed_at) AS took
         FROM run_chunks WHERE run_id = $1 AND seq = $2`,
      [runId, victimChunk],
    );
    // Claimed twice: by the worker that died, then (lease run out) by the survivor, who finished it.
    expect(rows[0]).toMatchObject({ status: 'done', attempts: 2, claimed_by: survivor, done_by: survivor });
    const all = await c.db.query(`SELECT status FROM run_chunks WHERE run_id = $1`, [runId]);
    expect(all.rows.every((r) => r.status === 'done')).toBe(true);
    await expectEachTicketAnalysedOnce(c.db, runId, TICKETS);
  });
});

describe('a run shared by two worker processes (Bull on Redis, chunks in PostgreSQL)', () => {
  it('a worker that is shut down mid-chunk gives its chunk back and another finishes it at once', async () => {
    c = await startCluster();
    // A graceful stop (SIGTERM in production).
    const { runId, run, stopped, chunk: stoppedChunk } = await stopHelperHoldingChunk(c, (helper) => helper.close());
    const survivor = workerId(c.workers.find((w) => w !== stopped)!);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    const { rows } = await c.db.query(
      `SELECT status, attempts, done_by FROM run_chunks WHERE run_id = $1 AND seq = $2`,
      [runId, stoppedChunk],
    );
    // Given back (its attempt not counted), so taken without waiting for the lease.
    expect(rows[0]).toMatchObject({ status: 'done', attempts: 1, done_by: survivor });
    await expectEachTicketAnalysedOnce(c.db, runId, TICKETS);
  });
});
