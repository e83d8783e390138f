import { ZendeskSimulator } from '@pim/testing';
import { Client } from 'pg';
import { closeSession, connectClient, startTestApp, TestApp } from '../../testing/test-app';
import { contentHash } from '@app/tickets/content-hash';
import { ThreadStore } from '@app/tickets/thread-store.service';
import { TicketStore } from '@app/tickets/ticket-store.service';
import { batches, commentRows, nextEventsStart } from './sync-records';
import { TicketSyncService } from './ticket-sync.service';

/**
 * The sync's bounded-memory paths against the simulator and a real PostgreSQL: export pages fetched ahead while
 * the previous one is stored, comment events staged and assembled in batches, raw SQL upserts.
 */
jest.setTimeout(180_000);

describe('TicketSyncService (pipelined export, staged threads)', () => {
  let sim: ZendeskSimulator;
  let t: TestApp;
  let db: Client;
  let sync: TicketSyncService;
  let store: TicketStore;
  let threads: ThreadStore;
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    // 2,600 tickets: three export pages of up to 1,000, so a page is stored while the next one is fetched.
    sim = new ZendeskSimulator({ dataset: { tickets: 2600, seed: 11 }, plan: 'enterprise', timeScale: 600 });
    await sim.start();
    t = await startTestApp({ env: sim.productEnv(700) });
    db = await connectClient(t.database!.url);
    sync = t.running.app.get(TicketSyncService);
    store = t.running.app.get(TicketStore);
    threads = t.running.app.get(ThreadStore);
  });
  afterAll(() => closeSession(t, db, sim));

  it('resumes from the last stored page after a failure while the next page was being fetched', async () => {
    // Storing the second page fails (once the first page's cursor is saved); the third page may already have been
    // requested.
    const upsertUsers = store.upsertUsers.bind(store);
    const spy = jest.spyOn(store, 'upsertUsers').mockImplementation(async (users) => {
      if (await sync.savedCursor()) throw new Error('database went away');
      return upsertUsers(users);
    });
    await expect(sync.sync({ backfillDays: 130, runId: 'r1' })).rejects.toThrow('database went away');
    spy.mockRestore();
    expect(sim.requestsTo('incremental.tickets.cursor')).toBeGreaterThanOrEqual(2);
    // Only the first page was stored (its deleted tickets are not inserted); its cursor is the one saved.
    const firstPage = await count('SELECT count(*) AS n FROM tickets');
    expect(firstPage).toBeLessThanOrEqual(1000);
    expect(firstPage).toBeGreaterThan(950);
    const cursor = await sync.savedCursor();
    expect(cursor).toBeTruthy();

    const totals = await sync.sync({ backfillDays: 130, runId: 'r1' });
    const live = sim.dataset.liveTicketIds();
    expect(totals.threadStrategy).toBe('events');
    expect(await count('SELECT count(*) AS n FROM tickets WHERE deleted_at IS NULL')).toBe(live.length);
    expect(await count('SELECT count(*) AS n FROM tickets WHERE thread_stale')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM ticket_comments')).toBe(sim.dataset.totalComments());
    expect(await count('SELECT count(*) AS n FROM comment_staging')).toBe(0);
    // Every thread in order, with its authors' roles resolved from the synced users.
    for (const id of [live[0], live[live.length >> 1], live[live.length - 1]]) {
      const stored = (
        await db.query(
          'SELECT zendesk_comment_id AS id, public, author_role FROM ticket_comments WHERE ticket_id = $1 ORDER BY position',
          [id],
        )
      ).rows;
      const expected = sim.dataset.getComments(id);
      expect(stored.map((c) => Number(c.id))).toEqual(expected.map((c) => c.id));
      expect(stored.map((c) => c.public)).toEqual(expected.map((c) => c.public));
      expect(stored.every((c) => c.author_role !== 'unknown')).toBe(true);
    }
    expect(await count('SELECT count(*) AS n FROM zendesk_users')).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM zendesk_organizations')).toBeGreaterThan(0);
    expect(sim.violations).toBe(0);
  });

  it('does not flag a thread again when the export repeats a ticket that did not change', async () => {
    const id = sim.dataset.liveTicketIds()[5];
    const row = (await db.query('SELECT * FROM tickets WHERE zendesk_id = $1', [id])).rows[0];
    const ticket = {
      zendeskId: id,
      subject: row.subject,
      description: row.description,
      status: row.status,
      tags: row.tags,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      source: 'zendesk' as const,
      expectedComments: row.comment_count,
    };
    const same = await store.upsertTickets([ticket], { markThreadStale: true });
    expect(same).toMatchObject({ inserted: 0, updated: 1, staleThreads: [], textChanged: [] });
    const moved = await store.upsertTickets([{ ...ticket, updatedAt: new Date(row.updated_at.getTime() + 1000) }], {
      markThreadStale: true,
    });
    expect(moved.staleThreads).toEqual([id]);
    // The stored thread is kept until the fetched one replaces it.
    expect(await count('SELECT comment_count AS n FROM tickets WHERE zendesk_id = $1', [id])).toBe(row.comment_count);
    await db.query('UPDATE tickets SET thread_stale = false WHERE zendesk_id = $1', [id]);
  });

  it('stages comment events (NUL characters dropped) and stores only threads that match Zendesk’s count', async () => {
    const [a, b, c] = sim.dataset.liveTicketIds().slice(10, 13);
    await db.query('UPDATE tickets SET expected_comments = 2, thread_stale = true WHERE zendesk_id = ANY($1)', [
      [a, b],
    ]);
    await db.query('UPDATE tickets SET expected_comments = 1, thread_stale = true WHERE zendesk_id = $1', [c]);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    await threads.clearStaging();
    await threads.stageComments([
      { ticketId: a, commentId: 9_000_001, authorId: null, public: true, body: 'first\u0000 line', createdAt: at(1) },
      { ticketId: a, commentId: 9_000_002, authorId: null, public: false, body: 'note', createdAt: at(2) },
      // The same event on two pages is staged once.
      { ticketId: a, commentId: 9_000_002, authorId: null, public: false, body: 'note', createdAt: at(2) },
      { ticketId: b, commentId: 9_000_003, authorId: null, public: true, body: 'only one of two', createdAt: at(3) },
      { ticketId: c, commentId: 9_000_004, authorId: null, public: true, body: 'redacted later', createdAt: at(4) },
    ]);
    const result = await threads.storeStagedThreads([a, b, c], new Set([c]));
    expect(result.fallback.sort()).toEqual([b, c].sort());
    expect(result.commentsTrusted).toBe(2);
    expect(result.textChanged).toEqual([a]);
    const stored = (
      await db.query('SELECT body, public, position FROM ticket_comments WHERE ticket_id = $1 ORDER BY position', [a])
    ).rows;
    expect(stored).toEqual([
      { body: 'first line', public: true, position: 0 },
      { body: 'note', public: false, position: 1 },
    ]);
    const stored_a = (
      await db.query(
        'SELECT subject, thread_stale, expected_comments, comment_count, content_hash FROM tickets WHERE zendesk_id = $1',
        [a],
      )
    ).rows[0];
    expect(stored_a).toMatchObject({ thread_stale: false, expected_comments: null, comment_count: 2 });
    // PostgreSQL hashes the thread exactly as contentHash does.
    expect(stored_a.content_hash).toBe(
      contentHash(stored_a.subject, [
        { public: true, body: 'first line' },
        { public: false, body: 'note' },
      ]),
    );
    // Untrusted threads keep their flag (fetched per ticket next); staging is emptied for the whole batch.
    expect(await count('SELECT count(*) AS n FROM tickets WHERE thread_stale AND zendesk_id = ANY($1)', [[b, c]])).toBe(
      2,
    );
    expect(await count('SELECT count(*) AS n FROM comment_staging')).toBe(0);
  });

  it('hashes staged threads in PostgreSQL exactly like contentHash, whatever the whitespace', async () => {
    const id = sim.dataset.liveTicketIds()[20];
    const subject = ' \u00a0Ünïcode\tsubject\u2028 with  spaces\ufeff';
    await db.query('UPDATE tickets SET subject = $2, expected_comments = NULL WHERE zendesk_id = $1', [id, subject]);
    const bodies = [
      'line one\r\nline two\u000b\f end ',
      '\u3000 ideographic\u2000-\u200aspaces\u202f\u205f 😀 emoji\u1680',
      'zero\u200bwidth is not a space; nor is \u0085 NEL in ES',
      '',
    ];
    await threads.clearStaging();
    await threads.stageComments(
      bodies.map((body, i) => ({
        ticketId: id,
        commentId: 9_100_000 + i,
        authorId: null,
        public: i % 2 === 0,
        body,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      })),
    );
    const result = await threads.storeStagedThreads([id], new Set());
    expect(result.fallback).toEqual([]);
    const hash = (await db.query('SELECT content_hash FROM tickets WHERE zendesk_id = $1', [id])).rows[0].content_hash;
    expect(hash).toBe(
      contentHash(
        subject,
        bodies.map((body, i) => ({ public: i % 2 === 0, body })),
      ),
    );
  });
});

describe('event pages', () => {
  const comment = (id: number, body: string) => ({
    id,
    type: 'Comment',
    event_type: 'Comment',
    author_id: 7,
    body,
    plain_body: `${body} (plain)`,
    public: true,
    created_at: '2026-01-01T00:00:00Z',
  });

  it('keeps only the comment rows of wanted tickets and remembers redactions', () => {
    const redacted = new Set<number>();
    const rows = commentRows(
      [
        { id: 1, ticket_id: 5, created_at: '2026-01-01T00:00:00Z', child_events: [comment(51, 'a')] },
        { id: 2, ticket_id: 6, created_at: '2026-01-01T00:00:00Z', child_events: [comment(61, 'b')] },
        {
          id: 3,
          ticket_id: 9,
          created_at: '2026-01-01T00:00:01Z',
          child_events: [{ id: 92, event_type: 'CommentRedactionEvent' }, comment(91, 'c')],
        },
      ] as never,
      Float64Array.from([3, 5, 9]),
      redacted,
    );
    // `body`, not `plain_body`: the field the comments API and the event export both send (issue 14, point 1).
    expect(rows.map((r) => [r.ticketId, r.commentId, r.body])).toEqual([
      [5, 51, 'a'],
      [9, 91, 'c'],
    ]);
    expect([...redacted]).toEqual([9]);
  });

  it('ends at the end of the stream, and on an empty page that does not move forward', () => {
    const page = { endOfStream: false, nextStartTime: 200 as number | null, eventCount: 5 };
    expect(nextEventsStart(page, 100)).toBe(200);
    expect(nextEventsStart({ ...page, endOfStream: true }, 100)).toBeNull();
    expect(nextEventsStart({ ...page, nextStartTime: null }, 100)).toBeNull();
    expect(nextEventsStart({ ...page, nextStartTime: 100, eventCount: 0 }, 100)).toBeNull();
    expect(nextEventsStart({ ...page, nextStartTime: 100 }, 100)).toBe(100);
  });

  it('batches an iterable lazily', () => {
    let pulled = 0;
    function* items() {
      for (let i = 0; i < 5; i++) {
        pulled++;
        yield i;
      }
    }
    const it = batches(items(), 2);
    expect(it.next().value).toEqual([0, 1]);
    expect(pulled).toBe(2);
    expect([...it]).toEqual([[2, 3], [4]]);
  });
});
