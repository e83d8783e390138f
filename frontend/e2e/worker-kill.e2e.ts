import { ZendeskSimulator } from '@pim/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  authHeader,
  dropRedisPrefix,
  E2eWorker,
  kill,
  killRunOwner,
  REDIS_URL,
  runEnded,
  startWorker,
} from './support/processes';
import { ADMIN, createDatabase, E2eServer, startServer } from './support/server';

/**
 * The shipped split topology: one API process (PROCESS_ROLE=api) and two `worker.js` processes, each with its
 * own DATA_DIR, on one PostgreSQL and one Redis. A sync run against the Zendesk simulator loses the worker
 * executing it to SIGKILL twice (restarted after each kill): the run still ends — completed, or failed with a
 * reason — within 5 minutes of the last restart, and the next sync is accepted and completes with every ticket.
 * Shipped defaults (RUN_LEASE_MS, Bull's lock and stall checks); nothing is tuned for the test.
 */
const FIVE_MINUTES = 5 * 60_000;

describe('a run whose worker is SIGKILLed twice ends, and the next one completes', () => {
  const prefix = `pime2e${randomBytes(4).toString('hex')}`;
  let sim: ZendeskSimulator;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let pg: Client;
  let apiServer: E2eServer | undefined;
  const workers: E2eWorker[] = [];

  const env = () => ({ ...sim.productEnv(10_000), REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    sim = new ZendeskSimulator({ dataset: { tickets: 1500, seed: 23, deletedShare: 0.02 }, rateLimit: false });
    await sim.start();
    db = await createDatabase();
    apiServer = await startServer({ env: { ...env(), PROCESS_ROLE: 'api' }, database: db });
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ ...env(), DATABASE_URL: db.url }));
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 150_000);

  afterAll(async () => {
    for (const w of workers) await kill(w.process);
    if (apiServer) await kill(apiServer.process);
    await pg?.end();
    await sim?.stop();
    await dropRedisPrefix(prefix);
    await db?.drop();
  });

  /** SIGKILLs the worker executing the run once it has stored some pages (cursor saved); a new one replaces it. */
  const killOwner = (runId: string, attempt: number) =>
    killRunOwner(pg, runId, attempt, workers, { ...env(), DATABASE_URL: db.url }, 1500);

  it(
    'resumes the run after each kill; it ends within 5 minutes of the last restart; the next sync completes',
    async () => {
      // Slow export pages: the sync lasts long enough for two kills mid-run.
      sim.faults.push({ kind: 'slow', match: /incremental/, delayMs: 400, count: 1_000_000 });
      const auth = await authHeader(apiServer!.url, ADMIN);
      const trigger = await fetch(`${apiServer!.url}/api/sync/trigger?backfillDays=130`, {
        method: 'POST',
        headers: auth,
      });
      expect(trigger.status).toBe(202);
      const { runId } = (await trigger.json()) as { runId: string };

      await killOwner(runId, 1);
      await killOwner(runId, 2);
      const restartedAt = Date.now();
      sim.faults.length = 0;

      const ended = await runEnded(pg, runId, FIVE_MINUTES);
      const tookMs = Date.now() - restartedAt;
      process.stdout.write(
        `run ${runId} ${ended.status} after ${ended.attempts} attempts, ${tookMs} ms after the last restart\n`,
      );
      expect(tookMs).toBeLessThan(FIVE_MINUTES);
      if (ended.status === 'failed') expect(ended.error).toMatch(/\w+/);
      // Each kill is on the run's record: the executions it took, and what happened to the ones that died.
      const view = (await (await fetch(`${apiServer!.url}/api/sync/runs/${runId}`, { headers: auth })).json()) as {
        stats: { attempts?: number };
        errors: Array<{ message: string }>;
      };
      expect(view.stats.attempts).toBeGreaterThanOrEqual(3);
      expect(view.errors.filter((e) => /stopped responding/.test(e.message)).length).toBeGreaterThanOrEqual(2);

      // The next sync is accepted (no stuck run answers 409) and completes with every live ticket.
      const next = await fetch(`${apiServer!.url}/api/sync/trigger?backfillDays=130`, {
        method: 'POST',
        headers: auth,
      });
      expect(next.status).toBe(202);
      const { runId: nextId } = (await next.json()) as { runId: string };
      const done = await runEnded(pg, nextId, FIVE_MINUTES);
      expect(done).toMatchObject({ status: 'succeeded', error: null });
      const live = sim.dataset.liveTicketIds();
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n, count(DISTINCT zendesk_id)::int AS distinct_ids FROM tickets WHERE deleted_at IS NULL`,
      );
      expect(rows[0]).toEqual({ n: live.length, distinct_ids: live.length });
      const stuck = await pg.query(`SELECT count(*)::int AS n FROM runs WHERE status IN ('queued', 'running')`);
      expect(stuck.rows[0].n).toBe(0);
    },
    15 * 60_000,
  );
});
