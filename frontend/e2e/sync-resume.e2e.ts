import { ZendeskSimulator } from '@pim/testing';
import { Client } from 'pg';
import { ADMIN, createDatabase, E2eServer, startServer } from './support/server';

/**
 * kill -9 in the middle of a sync, restart: the run continues from its saved cursor (and its flagged threads)
 * and ends with nothing missing or duplicated. The built API in its own process; the simulator here.
 */
describe('a sync killed with SIGKILL resumes after a restart', () => {
  let sim: ZendeskSimulator;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let pg: Client;
  let server: E2eServer | undefined;

  beforeAll(async () => {
    sim = new ZendeskSimulator({ dataset: { tickets: 2500, seed: 11, deletedShare: 0.02 }, rateLimit: false });
    await sim.start();
    db = await createDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    server?.process.kill('SIGKILL');
    await pg?.end();
    await sim?.stop();
    await db?.drop();
  });

  const env = () => ({ ...sim.productEnv(10_000), LOG_LEVEL: 'warn' });
  const one = async (sql: string) => (await pg.query(sql)).rows[0];

  it('continues the interrupted run and stores every ticket and comment once', async () => {
    // (long: slow pages on purpose, then the whole run including analysis)
    // Slow pages make the kill land mid-sync: the export's pages, then the event export's.
    sim.faults.push({ kind: 'slow', match: /incremental/, delayMs: 700, count: 1000 });
    server = await startServer({ env: env(), database: db });
    const login = await (
      await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      })
    ).json();
    const trigger = await fetch(`${server.url}/api/sync/trigger?backfillDays=130`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.accessToken}` },
    });
    const { runId } = await trigger.json();

    // Wait until this run has stored at least one page (its cursor is saved), then kill -9.
    for (let i = 0; i < 300; i++) {
      const state = await one(`SELECT value FROM sync_state WHERE key = 'tickets.cursor'`);
      if (state?.value?.runId === runId) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    server.process.kill('SIGKILL');
    await new Promise((r) => server!.process.once('exit', r));
    const interrupted = await one(`SELECT status, phase FROM runs WHERE id = '${runId}'`);
    expect(interrupted).toMatchObject({ status: 'running', phase: 'sync' });
    const storedBefore = Number((await one('SELECT count(*) AS n FROM tickets')).n);
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(sim.dataset.liveTicketIds().length + sim.dataset.deletedTicketIds().length);

    // Restart: the run is picked up again and finishes.
    sim.faults.length = 0;
    const logBefore = sim.requestLog.length;
    server = await startServer({ env: env(), database: db });
    let run: { status: string; error: string | null } | undefined;
    for (let i = 0; i < 600; i++) {
      run = await one(`SELECT status, error FROM runs WHERE id = '${runId}'`);
      if (run?.status === 'succeeded' || run?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(Number((await one('SELECT count(*) AS n FROM runs')).n)).toBe(1);
    // It continued from its saved cursor, not from the start of the backfill.
    const firstExport = sim.requestLog.slice(logBefore).find((e) => e.path.includes('/incremental/tickets/cursor'));
    expect(firstExport?.query).toMatch(/cursor=/);
    expect(firstExport?.query).not.toMatch(/start_time=/);

    const live = sim.dataset.liveTicketIds();
    expect(Number((await one('SELECT count(*) AS n FROM tickets WHERE deleted_at IS NULL')).n)).toBe(live.length);
    expect(Number((await one('SELECT count(*) AS n FROM tickets WHERE thread_stale')).n)).toBe(0);
    expect(Number((await one('SELECT count(*) AS n FROM ticket_comments')).n)).toBe(sim.dataset.totalComments());
    expect(
      Number(
        (
          await one(
            'SELECT count(*) AS n FROM (SELECT zendesk_comment_id FROM ticket_comments GROUP BY 1 HAVING count(*) > 1) d',
          )
        ).n,
      ),
    ).toBe(0);
    // Every thread matches Zendesk's, comment for comment.
    const counts = new Map<number, number>(
      (await pg.query('SELECT ticket_id, count(*)::int AS n FROM ticket_comments GROUP BY 1')).rows.map((r) => [
        Number(r.ticket_id),
        r.n,
      ]),
    );
    expect(live.filter((id) => counts.get(id) !== sim.dataset.getComments(id).length)).toEqual([]);
  }, 240_000);
});
