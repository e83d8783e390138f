import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { E2eWorker, startWorker } from './support/processes';
import { ADMIN, createDatabase, E2eServer, startServer } from './support/server';

/**
 * Two worker processes share one run's jobs: the built API (PROCESS_ROLE=api) takes an upload, two
 * `node dist/backend/worker.js` processes on the same database and Redis execute the run, and the run's analysis
 * chunks are done by both (their pids are in the run's stats), with every ticket analysed exactly once.
 */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TICKETS = 3000;
/** Longer texts: each chunk takes long enough that the second worker joins before the first is through. */
const FILLER = 'We tried again this morning with the same result and the whole team is waiting on it. '.repeat(8);

const TEXTS = [
  'The CSV export times out for big reports and we cannot send the monthly numbers to finance.',
  'We are stuck in a login loop after rotating the SAML certificate, nobody on the team can sign in.',
  'Slack notifications stopped arriving since the last update, we miss every new order.',
  'The invoice PDF shows the wrong tax rate for our German customers, this is a compliance problem.',
  'The mobile app crashes every time I upload a photo larger than 10 MB.',
  'Thanks, all good now, you can close this ticket.',
];

describe('two worker processes share one run', () => {
  const prefix = `pime2e${randomBytes(4).toString('hex')}`;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let api: E2eServer | undefined;
  const workers: E2eWorker[] = [];
  let pg: Client;

  beforeAll(async () => {
    db = await createDatabase();
    const env = { REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' };
    // The API migrates and creates the admin; the workers join the same database and queue.
    api = await startServer({ env: { ...env, PROCESS_ROLE: 'api' }, database: db });
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ ...env, DATABASE_URL: db.url }));
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 150_000);

  afterAll(async () => {
    for (const w of workers) w.process.kill('SIGKILL');
    api?.process.kill('SIGKILL');
    await pg?.end();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('splits the analysis into chunks that both workers take, analysing each ticket once', async () => {
    const login = await fetch(`${api!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    const lines = Array.from({ length: TICKETS }, (_, i) =>
      JSON.stringify({
        id: 50_000 + i,
        subject: `Customer ${i}: ${TEXTS[i % TEXTS.length]!.slice(0, 40)}`,
        body: `${TEXTS[i % TEXTS.length]} Account ${i}. ${FILLER}`,
        organization: `Org ${i % 29}`,
        created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      }),
    );
    const form = new FormData();
    form.append('file', new Blob([lines.join('\n')]), 'tickets.jsonl');
    const upload = await fetch(`${api!.url}/api/tickets/import`, { method: 'POST', headers: auth, body: form });
    expect(upload.status).toBe(202);
    const { runId } = (await upload.json()) as { runId: string };

    let run: { status: string; error: string | null; stats: Record<string, unknown> } | undefined;
    for (const started = Date.now(); Date.now() - started < 150_000;) {
      run = await (await fetch(`${api!.url}/api/sync/runs/${runId}`, { headers: auth })).json();
      if (run!.status === 'succeeded' || run!.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(run).toMatchObject({ status: 'succeeded', error: null });

    const chunks = run!.stats['analysisChunks'] as number;
    const byWorker = run!.stats['workers'] as Record<string, number>;
    expect(chunks).toBe(Math.ceil(TICKETS / 200));
    // Both worker processes (by pid) did chunks, and together all of them.
    const pids = Object.keys(byWorker).map((id) => Number(id.split(':').pop()));
    expect(pids.sort()).toEqual(workers.map((w) => w.pid).sort());
    expect(Object.values(byWorker).every((n) => n > 0)).toBe(true);
    expect(Object.values(byWorker).reduce((a, b) => a + b, 0)).toBe(chunks);

    const { rows } = await pg.query(
      `SELECT (SELECT count(*) FROM tickets)::int AS tickets,
              (SELECT count(*) FROM ticket_analyses)::int AS analyses,
              (SELECT count(DISTINCT ticket_id) FROM ticket_analyses WHERE run_id = $1)::int AS analysed,
              (SELECT count(*) FROM (SELECT 1 FROM issues GROUP BY ticket_id, category, subcategory, summary
                                      HAVING count(*) > 1) d)::int AS "duplicateIssues"`,
      [runId],
    );
    expect(rows[0]).toEqual({ tickets: TICKETS, analyses: TICKETS, analysed: TICKETS, duplicateIssues: 0 });
  }, 180_000);
});
