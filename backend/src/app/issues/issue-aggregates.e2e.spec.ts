import { exportDatasetToString, ZendeskDataset } from '@pim/testing';
import { Client } from 'pg';
import { api, closeSession, login, startTestApp, TestApp } from '../../testing/test-app';
import { importAndWait, openSessionWithTickets } from '../../testing/runs';
import { DataSource } from 'typeorm';
import { IssueAggregateRepository } from './repositories/issue-aggregate.repository';
import { DAY_MS } from './trends';

// The daily aggregates (migration 1764400000025) against a direct scan of `issues`, after every kind of write the
// product makes: analysis (insert), reanalysis (delete + insert), hidden/unhidden issues (deleted, merged, scrubbed
// tickets), tickets deleted (cascade), tickets moving to another organization, issues moving across UTC days,
// concurrent writers; windows starting at, just after and just before UTC midnight and at an issue's own instant.

let t: TestApp;
let token: string;
let db: Client;
let aggregates: IssueAggregateRepository;
const END = Math.floor(Date.now() / DAY_MS) * DAY_MS + 13 * 3_600_000;
const dataset = new ZendeskDataset({ tickets: 300, seed: 7, days: 40, endTime: END });
/** The database the scans read: the test server's (or, in the last test, the embedded PGlite's). */
let sql = (text: string, params?: unknown[]): Promise<{ rows: any[] }> => db.query(text, params); // eslint-disable-line @typescript-eslint/no-explicit-any

/** The summary's figures as the scan of `issues` the aggregates replace computed them. */
async function scanWindow(from: Date) {
  const [totals] = (
    await sql(
      `SELECT count(*)::int AS issues, count(DISTINCT i.ticket_id)::int AS tickets,
              count(DISTINCT COALESCE('o' || t.organization_id::text, 'r' || t.requester_id::text))::int AS customers
         FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
        WHERE NOT i.hidden AND i.ticket_created_at >= $1`,
      [from],
    )
  ).rows;
  const by = async (column: string) =>
    (
      await sql(
        `SELECT i.${column} AS key, count(*)::int AS count FROM issues i
          WHERE NOT i.hidden AND i.ticket_created_at >= $1 GROUP BY 1 ORDER BY 2 DESC, 1`,
        [from],
      )
    ).rows;
  return {
    issues: totals.issues,
    tickets: totals.tickets,
    customers: totals.customers,
    byCategory: await by('category'),
    bySeverity: await by('severity'),
    byIssueType: await by('issue_type'),
  };
}

async function scanBuckets(interval: 'day' | 'week', from: Date, categories?: string[]) {
  const { rows } = await sql(
    `SELECT i.category, extract(epoch FROM date_trunc('${interval}', i.ticket_created_at AT TIME ZONE 'UTC'))::bigint AS bucket,
            count(*)::int AS n
       FROM issues i WHERE NOT i.hidden AND i.ticket_created_at >= $1 ${categories ? 'AND i.category = ANY($2)' : ''}
      GROUP BY 1, 2`,
    categories ? [from, categories] : [from],
  );
  return sorted(rows);
}

const sorted = (rows: Array<{ category: string; bucket: string; n: number }>) =>
  rows.map((r) => `${r.category} ${r.bucket} ${r.n}`).sort();

/** Window starts to compare: around midnights (the partial first day) and at issues' own instants. */
async function windowStarts(): Promise<Date[]> {
  const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const starts = [1, 7, 30].flatMap((d) => {
    const m = midnight - d * DAY_MS;
    return [m, m + 1, m - 1, Date.now() - d * DAY_MS];
  });
  const { rows } = await sql(`SELECT ticket_created_at AS at FROM issues ORDER BY md5(id::text) LIMIT 5`);
  for (const r of rows) starts.push(new Date(r.at).getTime(), new Date(r.at).getTime() + 1);
  return starts.map((ms) => new Date(ms));
}

async function expectEqualToScan(label: string) {
  for (const from of await windowStarts())
    expect({ label, from, ...(await aggregates.window(from)) }).toEqual({ label, from, ...(await scanWindow(from)) });
  const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const cats = (await sql(`SELECT DISTINCT category FROM issues ORDER BY 1 LIMIT 2`)).rows.map((r) => r.category);
  for (const interval of ['day', 'week'] as const)
    for (const days of [7, 30]) {
      const from = new Date(midnight - days * DAY_MS);
      expect([label, sorted(await aggregates.countsByCategoryAndBucket(interval, from))]).toEqual([
        label,
        await scanBuckets(interval, from),
      ]);
      expect([label, sorted(await aggregates.countsByCategoryAndBucket(interval, from, cats))]).toEqual([
        label,
        await scanBuckets(interval, from, cats),
      ]);
    }
}

const ticketsWithIssues = async (n: number, offset = 0): Promise<number[]> =>
  (
    await sql(`SELECT DISTINCT ticket_id FROM issues WHERE NOT hidden ORDER BY ticket_id LIMIT $1 OFFSET $2`, [
      n,
      offset,
    ])
  ).rows.map((r) => Number(r.ticket_id));

beforeAll(async () => {
  ({ t, token, db } = await openSessionWithTickets(dataset));
  aggregates = t.running.app.get(IssueAggregateRepository);
}, 180_000);

afterAll(() => closeSession(t, db));

describe('daily issue aggregates (real PostgreSQL, simulator tickets, local analyzer)', () => {
  it('equal a scan of issues after an import run, folded or not', async () => {
    expect(Number((await db.query(`SELECT count(*) AS n FROM issues WHERE NOT hidden`)).rows[0].n)).toBeGreaterThan(
      100,
    );
    await expectEqualToScan('after import, unfolded');
    expect(await aggregates.fold()).toBeGreaterThanOrEqual(0);
    expect(Number((await db.query(`SELECT count(*) AS n FROM issue_day_deltas`)).rows[0].n)).toBe(0);
    await expectEqualToScan('after import, folded');
  });

  it('stay equal through reanalysis, hiding, unhiding, scrubbing, deletions and day moves', async () => {
    const [a, b, c] = [await ticketsWithIssues(5, 0), await ticketsWithIssues(5, 10), await ticketsWithIssues(5, 20)];
    // Reanalysis: the ticket's issues replaced by others (another category, severity, one more issue).
    await db.query('BEGIN');
    const old = (await db.query(`SELECT * FROM issues WHERE ticket_id = ANY($1)`, [a])).rows;
    await db.query(`DELETE FROM issues WHERE ticket_id = ANY($1)`, [a]);
    await db.query(
      `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, confidence, ticket_created_at)
       SELECT ticket_id, analysis_id, 'reanalysed', 'x', 'bug', 'critical', summary, confidence, ticket_created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id bigint, analysis_id uuid, summary text, confidence real,
                                                ticket_created_at timestamptz)
       UNION ALL
       SELECT ticket_id, analysis_id, 'other', 'y', 'question', 'low', 'extra', 0.5, ticket_created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id bigint, analysis_id uuid, ticket_created_at timestamptz)`,
      [JSON.stringify(old)],
    );
    await db.query('COMMIT');
    await expectEqualToScan('reanalysis');
    // Hidden (deleted or merged tickets, scrubbed), some unhidden again.
    await db.query(`UPDATE issues SET hidden = true, cluster_id = NULL WHERE ticket_id = ANY($1)`, [b]);
    await expectEqualToScan('hidden');
    await db.query(`UPDATE issues SET hidden = false WHERE ticket_id = $1`, [b[0]]);
    await db.query(`UPDATE issues SET summary = 'scrubbed', hidden = true WHERE ticket_id = $1`, [c[0]]);
    await expectEqualToScan('unhidden and scrubbed');
    // A ticket deleted outright (its issues go with it), one moving to another organization or none.
    await db.query(`DELETE FROM tickets WHERE zendesk_id = $1`, [c[1]]);
    await db.query(
      `UPDATE tickets SET organization_id = (SELECT max(id) FROM zendesk_organizations) WHERE zendesk_id = $1`,
      [c[2]],
    );
    await db.query(`UPDATE tickets SET organization_id = NULL WHERE zendesk_id = $1`, [c[3]]);
    await expectEqualToScan('ticket deleted, customers changed');
    // Issues moving across a UTC midnight (one second before / at it), and a re-category of one issue.
    const midnight = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 7 * DAY_MS);
    await db.query(`UPDATE issues SET ticket_created_at = $2 WHERE ticket_id = $1`, [
      c[4],
      new Date(midnight.getTime() - 1000),
    ]);
    await db.query(`UPDATE issues SET ticket_created_at = $2 WHERE ticket_id = $1`, [b[1], midnight]);
    await db.query(
      `UPDATE issues SET category = 'moved' WHERE id = (SELECT min(id::text)::uuid FROM issues WHERE NOT hidden)`,
    );
    await expectEqualToScan('day moves');
    await aggregates.fold();
    await expectEqualToScan('folded');
  });

  it('stay equal when two transactions write issues of the same customer and day at once', async () => {
    const other = new Client({ connectionString: t.database!.url });
    await other.connect();
    try {
      const org = (
        await db.query(
          `SELECT t.organization_id FROM tickets t JOIN issues i ON i.ticket_id = t.zendesk_id
            WHERE t.organization_id IS NOT NULL AND NOT i.hidden GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
        )
      ).rows[0].organization_id;
      const tickets = (
        await db.query(
          `SELECT DISTINCT i.ticket_id FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
            WHERE t.organization_id = $1 AND NOT i.hidden ORDER BY 1 LIMIT 4`,
          [org],
        )
      ).rows.map((r) => r.ticket_id);
      // Each transaction hides one ticket's issues and brings another's to a new day (the customer's latest); the
      // second waits where the first holds the customer's rows, and goes on when it commits.
      const today = new Date();
      await db.query('BEGIN');
      await other.query('BEGIN');
      await db.query(`UPDATE issues SET hidden = true WHERE ticket_id = $1`, [tickets[0]]);
      await db.query(`UPDATE issues SET ticket_created_at = $2 WHERE ticket_id = $1`, [tickets[2], today]);
      const second = (async () => {
        await other.query(`UPDATE issues SET hidden = true WHERE ticket_id = $1`, [tickets[1]]);
        await other.query(`UPDATE issues SET ticket_created_at = $2 WHERE ticket_id = $1`, [
          tickets[3],
          new Date(today.getTime() - DAY_MS),
        ]);
        await other.query('COMMIT');
      })();
      await new Promise((r) => setTimeout(r, 200));
      await db.query('COMMIT');
      await second;
      await expectEqualToScan('concurrent writers');
    } finally {
      await other.end();
    }
  });

  it('answer GET /api/issues/summary and /trends as the scan does', async () => {
    // days=31: the run's cache warm-up holds days=30 (computed before this file's SQL writes).
    const summary = await api(t.url, 'GET', '/api/issues/summary?days=31', { token });
    expect(summary.status).toBe(200);
    const scan = await scanWindow(new Date(summary.body.from));
    expect({
      issues: summary.body.issues,
      tickets: summary.body.tickets,
      customers: summary.body.uniqueCustomers,
      byCategory: summary.body.byCategory,
      bySeverity: summary.body.bySeverity,
      byIssueType: summary.body.byIssueType,
    }).toEqual(scan);
    const trends = await api(t.url, 'GET', '/api/issues/trends?days=29&interval=week', { token });
    expect(trends.status).toBe(200);
    const first = new Date(trends.body.total[0].date);
    expect(trends.body.total.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(
      (await scanBuckets('week', first)).reduce((s, r) => s + Number(r.split(' ')[2]), 0),
    );
  });

  it('is emptied with issues by TRUNCATE', async () => {
    await db.query(`TRUNCATE issues`);
    await expectEqualToScan('truncated');
    expect(Number((await db.query(`SELECT count(*) AS n FROM issue_entity_days`)).rows[0].n)).toBe(0);
  });

  it('are kept by the same triggers on the embedded PGlite', async () => {
    const embedded = await startTestApp({ embedded: true });
    try {
      const run = await importAndWait(
        embedded,
        await login(embedded.url),
        await exportDatasetToString(new ZendeskDataset({ tickets: 60, seed: 3, days: 20, endTime: END }), {
          format: 'jsonl',
        }),
      );
      expect(run.status).toBe('succeeded');
      const source = embedded.running.app.get(DataSource);
      sql = async (text, params) => ({ rows: await source.query(text, params) });
      aggregates = embedded.running.app.get(IssueAggregateRepository);
      expect(Number((await sql(`SELECT count(*) AS n FROM issue_entity_days`)).rows[0].n)).toBeGreaterThan(10);
      await expectEqualToScan('embedded, after import');
      await sql(`UPDATE issues SET hidden = true WHERE ticket_id IN (SELECT ticket_id FROM issues LIMIT 5)`);
      await sql(`DELETE FROM issues WHERE ticket_id IN (SELECT ticket_id FROM issues WHERE NOT hidden LIMIT 5)`);
      await expectEqualToScan('embedded, hidden and deleted');
    } finally {
      await embedded.close();
    }
  }, 240_000);
});
