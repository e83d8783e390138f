import { ZendeskSimulator } from '@pim/testing';
import { Client } from 'pg';
import { api, connectClient, login, startTestApp } from '../../testing/test-app';
import { createTestDatabase, TestDatabase } from '../../testing/test-database';
import { crash, until } from './run-lease.testing';

/**
 * A run that crashes every process executing it is not resumed forever: after RUN_MAX_ATTEMPTS executions it is
 * failed with the reason. Without Redis; a crash is the app's database pool destroyed under the running execution.
 */
jest.setTimeout(240_000);

describe('runs without Redis: a run that crashes its process at every boot', () => {
  let sim: ZendeskSimulator;
  let database: TestDatabase;
  let db: Client;

  beforeAll(async () => {
    sim = new ZendeskSimulator({ dataset: { tickets: 600, seed: 5 }, rateLimit: false });
    await sim.start();
    // Slow export pages: each boot's execution is still syncing when its process "crashes".
    sim.faults.push({ kind: 'slow', match: /incremental/, delayMs: 1500, count: 100_000 });
    database = await createTestDatabase();
    db = await connectClient(database.url);
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
    await sim?.stop();
  });

  it('is resumed at boot until RUN_MAX_ATTEMPTS executions, then failed with the reason instead of resumed forever', async () => {
    const env = { ...sim.productEnv(10_000), RUN_MAX_ATTEMPTS: '3', RUN_LEASE_MS: '60000' };
    const run = async (id: string) => (await db.query(`SELECT * FROM runs WHERE id = $1`, [id])).rows[0];
    let t = await startTestApp({ database, env });
    const token = await login(t.url);
    const trigger = await api(t.url, 'POST', '/api/sync/trigger?backfillDays=130', { token });
    expect(trigger.status).toBe(202);
    const runId = trigger.body.runId as string;

    for (let boot = 1; boot <= 3; boot++) {
      const bootedAt = (await db.query(`SELECT now() AS now`)).rows[0].now as Date;
      // This boot executes the run (it started it, or resumed it at boot): then the process dies mid-sync.
      await until(`boot ${boot} to execute the run`, async () => {
        const r = await run(runId);
        return r.status === 'running' && r.heartbeat_at && new Date(r.heartbeat_at) >= bootedAt;
      });
      await crash(t);
      t = await startTestApp({ database, env });
    }
    // The fourth boot finds it unfinished after three executions: it fails it instead of executing it again.
    const r = await until(
      'the run to be given up',
      async () => {
        const current = await run(runId);
        return current.status === 'failed' ? current : undefined;
      },
      30_000,
    );
    expect(r.error).toMatch(/The process running it stopped responding 3 times; last seen/);
    const view = (await api(t.url, 'GET', `/api/sync/runs/${runId}`, { token: await login(t.url) })).body;
    expect(view.stats.attempts).toBe(3);
    expect(view.errors.filter((e: { message: string }) => /stopped responding/.test(e.message)).length).toBe(3);
    await t.close();
  });
});
