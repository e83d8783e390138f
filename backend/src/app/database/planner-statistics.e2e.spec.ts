import type { IncomingTicket } from '@app/tickets/incoming-ticket';
import { TicketStore } from '@app/tickets/ticket-store.service';
import { closeSession, openSession, TestSession } from '../../testing/test-app';
import { PlannerStatistics } from './table-maintenance';

/**
 * Planner statistics kept current while a run grows the tables (the real app on a real PostgreSQL, whose
 * autovacuum may be off — it is on the bench machines). Without statistics, a batch's lookup of 200 ids was planned
 * as a scan of the whole table; with them, as an index scan.
 */
let s: TestSession | undefined;
afterAll(() => closeSession(s?.t, s?.db));

const TICKETS = 3000;

function ticket(id: number): IncomingTicket {
  const at = new Date(Date.UTC(2026, 9, 1) + id * 60_000);
  return {
    zendeskId: id,
    subject: `Export of report ${id} fails`,
    description: `The export of report ${id} times out.`,
    status: 'open',
    createdAt: at,
    updatedAt: at,
    source: 'import',
    comments: [0, 1, 2].map((k) => ({
      public: true,
      body: `Comment ${k} on ticket ${id}: the export still times out.`,
      createdAt: new Date(at.getTime() + k * 1000),
      authorRole: k % 2 ? ('agent' as const) : ('end-user' as const),
    })),
  };
}

/** The rows PostgreSQL expects a batch's thread lookup to return (analysis reads a page of tickets' threads so). */
async function expectedThreadRows(ids: number[]): Promise<number> {
  const { rows } = await s!.db.query(
    `EXPLAIN (FORMAT JSON) SELECT ticket_id, position, body FROM ticket_comments WHERE ticket_id = ANY($1::bigint[])`,
    [ids],
  );
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
}

/** Statistics counters reach pg_stat_user_tables after the writing transaction, within about a second. */
async function eventuallyStale(statistics: PlannerStatistics, tables: string[]): Promise<string[]> {
  let stale: string[] = [];
  for (let i = 0; i < 100 && !tables.every((t) => stale.includes(t)); i++) {
    stale = await statistics.stale();
    if (!tables.every((t) => stale.includes(t))) await new Promise((r) => setTimeout(r, 50));
  }
  return stale;
}

/** The rows `table` had at its last ANALYZE (pg_class.reltuples, set by the ANALYZE's commit); null if never. */
async function analysedRows(table: string): Promise<number | null> {
  const { rows } = await s!.db.query(`SELECT reltuples FROM pg_class WHERE relname = $1`, [table]);
  const n = Number(rows[0].reltuples);
  return n < 0 ? null : n;
}

it('analyses the tables a bulk write grew, so a batch lookup is planned for the rows it reads, not the whole table', async () => {
  s = await openSession();
  const store = s.t.running.app.get(TicketStore);
  const statistics = s.t.running.app.get(PlannerStatistics);
  statistics.checkEveryMs = 60 * 60_000; // only the first batch checks: the tables are empty then
  for (let i = 0; i < TICKETS; i += 500)
    await store.upsertTickets(Array.from({ length: 500 }, (_, k) => ticket(1 + i + k)));
  const ids = Array.from({ length: 50 }, (_, k) => 1001 + k);

  // Grown by 3,000 tickets and 9,000 comments since their (never taken) last ANALYZE: both are stale.
  expect(await eventuallyStale(statistics, ['tickets', 'ticket_comments'])).toEqual(
    expect.arrayContaining(['tickets', 'ticket_comments']),
  );
  expect(await analysedRows('ticket_comments')).toBeNull();
  // PostgreSQL's default selectivity for `= ANY` of 50 values on a never-analysed column (0.5% each, of a row
  // count guessed from the table's size): many times the 150 rows — at 200 ids, the whole table, however large.
  expect(await expectedThreadRows(ids)).toBeGreaterThan(150 * 5);

  statistics.checkEveryMs = 0;
  await statistics.refresh();

  expect(await analysedRows('ticket_comments')).toBe(TICKETS * 3);
  expect(await analysedRows('tickets')).toBe(TICKETS);
  expect(await statistics.stale()).not.toEqual(expect.arrayContaining(['tickets']));
  // 50 tickets of 3 comments: now expected right, which is what makes the planner take the index on a large table.
  const expected = await expectedThreadRows(ids);
  expect(expected).toBeGreaterThanOrEqual(100);
  expect(expected).toBeLessThanOrEqual(225);
});

it('checks at most once per interval, and leaves a table another process is analysing to it', async () => {
  const statistics = s!.t.running.app.get(PlannerStatistics);
  const store = s!.t.running.app.get(TicketStore);
  statistics.checkEveryMs = 0;
  await store.upsertTickets(Array.from({ length: 1500 }, (_, k) => ticket(10_001 + k)));
  await eventuallyStale(statistics, ['ticket_comments']);
  expect(await analysedRows('ticket_comments')).toBe(TICKETS * 3);

  // Another process holds the table's ANALYZE lock: this one goes on without waiting and without analysing it.
  const other = await s!.db.query(`SELECT pg_advisory_lock($1, hashtext('ticket_comments'))`, [0x50494d41]);
  expect(other.rowCount).toBe(1);
  await statistics.refresh();
  expect(await analysedRows('ticket_comments')).toBe(TICKETS * 3);
  await s!.db.query(`SELECT pg_advisory_unlock($1, hashtext('ticket_comments'))`, [0x50494d41]);

  // Once the lock is free, the table is analysed; the next check waits for the interval, stale or not.
  await statistics.refresh();
  statistics.checkEveryMs = 60 * 60_000;
  expect(await analysedRows('ticket_comments')).toBe((TICKETS + 1500) * 3);
  await store.upsertTickets(Array.from({ length: 1500 }, (_, k) => ticket(20_001 + k)));
  await eventuallyStale(statistics, ['ticket_comments']);
  await statistics.refresh();
  expect(await analysedRows('ticket_comments')).toBe((TICKETS + 1500) * 3);
});
