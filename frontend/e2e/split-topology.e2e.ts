import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
 * The topology `ops/` ships: one API process (PROCESS_ROLE=api) and two `worker.js` processes, each with a
 * DATA_DIR of its own (as on separate machines: compose and Railway share no volume), one PostgreSQL, one Redis.
 * Uploads reach the worker through PostgreSQL; a worker SIGKILLed twice in the middle of an import leaves no
 * stuck run, and the next import is accepted and completes. Shipped defaults; nothing is tuned for the test.
 */
const FIVE_MINUTES = 5 * 60_000;
const FILLER = 'We tried again this morning with the same result and the whole team is waiting on it. '.repeat(6);
const TEXTS = [
  'The CSV export times out for big reports and we cannot send the monthly numbers to finance.',
  'We are stuck in a login loop after rotating the SAML certificate, nobody on the team can sign in.',
  'Slack notifications stopped arriving since the last update, we miss every new order.',
  'The invoice PDF shows the wrong tax rate for our German customers, this is a compliance problem.',
  'The mobile app crashes every time I upload a photo larger than 10 MB.',
];

function jsonl(firstId: number, count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: firstId + i,
      subject: `Customer ${i}: ${TEXTS[i % TEXTS.length]!.slice(0, 40)}`,
      body: `${TEXTS[i % TEXTS.length]} Account ${i}. ${FILLER}`,
      organization: `Org ${i % 31}`,
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
    }),
  ).join('\n');
}

describe('the shipped split topology: API and two workers with their own DATA_DIR', () => {
  const prefix = `pime2e${randomBytes(4).toString('hex')}`;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let pg: Client;
  let api: E2eServer | undefined;
  let auth: Record<string, string>;
  const workers: E2eWorker[] = [];
  const env = { REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' };

  const count = async (sql: string, params: unknown[] = []) => Number((await pg.query(sql, params)).rows[0].n);
  const apiDataDir = () => join(api!.logFile, '..');

  async function upload(body: string, name: string): Promise<Response> {
    const form = new FormData();
    form.append('file', new Blob([body]), name);
    return fetch(`${api!.url}/api/tickets/import`, { method: 'POST', headers: auth, body: form });
  }

  const ended = (runId: string) => runEnded(pg, runId, FIVE_MINUTES);

  beforeAll(async () => {
    db = await createDatabase();
    api = await startServer({ env: { ...env, PROCESS_ROLE: 'api' }, database: db });
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ ...env, DATABASE_URL: db.url }));
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    auth = await authHeader(api.url, ADMIN);
  }, 150_000);

  afterAll(async () => {
    for (const w of workers) await kill(w.process);
    if (api) await kill(api.process);
    await pg?.end();
    await dropRedisPrefix(prefix);
    await db?.drop();
  });

  it('imports a 300-ticket upload completely on a worker that never sees the API disk', async () => {
    const res = await upload(jsonl(1_000, 300), 'tickets.jsonl');
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(await ended(runId)).toMatchObject({ status: 'succeeded', error: null });
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 1000 AND 1299`)).toBe(300);
    // The upload is gone from PostgreSQL and from every disk.
    expect(await count(`SELECT count(*) AS n FROM import_uploads`)).toBe(0);
    for (const dir of [apiDataDir(), ...workers.map((w) => w.dataDir)]) {
      const imports = join(dir, 'imports');
      expect(existsSync(imports) ? readdirSync(imports) : []).toEqual([]);
    }
  }, 180_000);

  it(
    'a worker SIGKILLed twice mid-import leaves no stuck run; the next import is accepted and completes',
    async () => {
      const TICKETS = 4_000;
      const res = await upload(jsonl(100_000, TICKETS), 'big.jsonl');
      expect(res.status).toBe(202);
      const { runId } = (await res.json()) as { runId: string };

      // Kill whichever worker executes the run, as soon as it holds it (mid-import), twice; restart it each time.
      for (const attempt of [1, 2])
        await killRunOwner(pg, runId, attempt, workers, { ...env, DATABASE_URL: db.url }, 500);
      const restartedAt = Date.now();

      const end = await ended(runId);
      const tookMs = Date.now() - restartedAt;
      process.stdout.write(
        `import run ${end.status} after ${end.attempts} attempts, ${tookMs} ms after the last restart\n`,
      );
      expect(tookMs).toBeLessThan(FIVE_MINUTES);
      if (end.status === 'failed') expect(end.error).toMatch(/\w+/);
      else {
        // Resumed from the stored upload: every ticket once, every ticket analysed.
        expect(
          await count(`SELECT count(DISTINCT zendesk_id) AS n FROM tickets WHERE zendesk_id BETWEEN 100000 AND 199999`),
        ).toBe(TICKETS);
        expect(
          await count(
            `SELECT count(*) AS n FROM tickets t WHERE zendesk_id BETWEEN 100000 AND 199999
             AND NOT EXISTS (SELECT 1 FROM ticket_analyses a WHERE a.ticket_id = t.zendesk_id)`,
          ),
        ).toBe(0);
      }
      expect(await count(`SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running')`)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM import_uploads`)).toBe(0);

      // The next import is accepted (no dead run answers 409) and completes.
      const next = await upload(jsonl(5_000, 50), 'next.jsonl');
      expect(next.status).toBe(202);
      const { runId: nextId } = (await next.json()) as { runId: string };
      expect(await ended(nextId)).toMatchObject({ status: 'succeeded', error: null });
      expect(await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 5000 AND 5049`)).toBe(50);
    },
    15 * 60_000,
  );
});
