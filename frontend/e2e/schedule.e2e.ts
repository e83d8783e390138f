import { ZendeskSimulator } from '@pim/testing';
import { Client } from 'pg';
import { createDatabase, E2eServer, startServer } from './support/server';

/** Two API processes on one database with a per-minute SYNC_CRON create one run per tick, not two. */
describe('the nightly schedule across replicas', () => {
  let sim: ZendeskSimulator;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let pg: Client;
  const servers: E2eServer[] = [];

  beforeAll(async () => {
    sim = new ZendeskSimulator({ dataset: { tickets: 50, seed: 3 }, rateLimit: false });
    await sim.start();
    db = await createDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    for (const s of servers) s.process.kill('SIGKILL');
    await pg?.end();
    await sim?.stop();
    await db?.drop();
  });

  it('creates exactly one scheduled run per minute with two API processes', async () => {
    const env = {
      ...sim.productEnv(10_000),
      SYNC_CRON: '* * * * *',
      LOG_LEVEL: 'warn',
    };
    // The first one migrates and creates the admin; the second joins the same database.
    servers.push(await startServer({ env, database: db }));
    servers.push(await startServer({ env, database: db }));
    const started = Date.now();
    // Wait for the next tick to pass (at most a minute), plus a margin for both processes to act on it.
    const msToNextMinute = 60_000 - (started % 60_000);
    await new Promise((r) => setTimeout(r, msToNextMinute + 8_000));
    const rows = (
      await pg.query(`SELECT schedule_key, count(*)::int AS n FROM runs WHERE trigger = 'schedule' GROUP BY 1`)
    ).rows;
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // Both processes saw each tick they were up for; only one run exists per tick.
    expect(rows.length).toBeLessThanOrEqual(2);
  }, 120_000);
});
