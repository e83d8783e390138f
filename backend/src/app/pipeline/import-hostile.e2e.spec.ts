import { Client } from 'pg';
import { TicketStore } from '@app/tickets/ticket-store.service';
import { api, closeSession, counter, openSession, TestApp } from '../../testing/test-app';
import { upload, waitForRun } from '../../testing/runs';

/** Issue 13 (3–5): files real exports and careless scripts produce never cost the good rows, uptime or Zendesk's data. */
const CAP = 64 * 1024;
let t: TestApp, token: string, db: Client;
const count = counter(() => db);
const good = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  subject: `Ticket ${id}`,
  body: `The export of report ${id} fails with a timeout`,
  created_at: '2026-10-01T10:00:00Z',
  ...extra,
});
const importRun = async (name: string, content: string) => {
  const res = await upload(t, token, name, content);
  expect(res.status).toBe(202);
  return waitForRun(t, token, res.body.runId, 180_000);
};
const refs = (run: { errors: { ref?: string }[] }) => run.errors.map((e) => e.ref);

beforeAll(async () => ({ t, token, db } = await openSession({ env: { IMPORT_MAX_RECORD_BYTES: String(CAP) } })));
afterAll(() => closeSession(t, db));

describe('ticket import of hostile and odd files', () => {
  it('imports 200 good rows among 8 odd ones: each odd row is stored clamped, its odd field reported by line', async () => {
    const odd = [
      good(100_001, { priority: 'p'.repeat(100) }),
      good(100_002, { channel: 'c'.repeat(300) }),
      good(100_003, { organization_id: 1.5 }),
      good(100_004, { requester_id: 1e20 }),
      good(100_005, { comments: [{ id: 1.5, body: 'A comment with a fractional id', public: true }] }),
      good(100_006, { comments: [{ author_id: 1e19, body: 'An author past bigint', public: true }] }),
      good(100_007, { organization: 'O'.repeat(5000) }),
      good(100_008, { type: 'inci\u0000dent', status: 'op\u0000en', tags: ['a\u0000b'], organization: 'Ni\u0000l' }),
    ];
    const lines: string[] = [];
    const oddLines = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      lines.push(JSON.stringify(good(10_000 + i)));
      if (i % 25 === 12) {
        const row = odd[oddLines.size]!;
        lines.push(JSON.stringify(row));
        oddLines.set(row.id, lines.length);
      }
    }
    const run = await importRun('odd.jsonl', lines.join('\n'));
    expect(run.status).toBe('succeeded');
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 10000 AND 10199`)).toBe(200);
    expect(run.stats.rowsImported + run.stats.rowsRejected).toBe(208);
    // Every odd row is stored (clamped) or reported by its line.
    for (const [id, line] of oddLines) {
      const stored = await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id = $1`, [id]);
      if (!stored) expect(refs(run)).toContain(`line ${line}`);
    }
    const row = async (id: number) => (await db.query(`SELECT * FROM tickets WHERE zendesk_id = $1`, [id])).rows[0];
    expect((await row(100_001)).priority).toBe('p'.repeat(16));
    expect((await row(100_002)).channel).toBe('c'.repeat(64));
    expect((await row(100_003)).organization_id).toBeNull();
    expect((await row(100_004)).requester_id).toBeNull();
    expect(run.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ref: `line ${oddLines.get(100_003)}`,
          message: expect.stringMatching(/organization_id/),
        }),
        expect.objectContaining({
          ref: `line ${oddLines.get(100_004)}`,
          message: expect.stringMatching(/requester_id/),
        }),
        expect.objectContaining({
          ref: `line ${oddLines.get(100_005)}`,
          message: expect.stringMatching(/comments\[0\]\.id/),
        }),
        expect.objectContaining({
          ref: `line ${oddLines.get(100_006)}`,
          message: expect.stringMatching(/comments\[0\]\.author_id/),
        }),
      ]),
    );
    const comments = await db.query(
      `SELECT ticket_id, zendesk_comment_id, author_id FROM ticket_comments WHERE ticket_id IN (100005, 100006)
        ORDER BY ticket_id, position`,
    );
    expect(comments.rows.filter((c) => c.zendesk_comment_id !== null || c.author_id !== null)).toEqual([]);
    const org = await db.query(
      `SELECT o.name FROM tickets t JOIN zendesk_organizations o ON o.id = t.organization_id WHERE t.zendesk_id = 100007`,
    );
    expect(org.rows[0].name).toBe('O'.repeat(500));
    const nul = await row(100_008);
    expect([nul.type, nul.status, nul.tags]).toEqual(['incident', 'open', ['ab']]);
  });
});

describe('ticket import of hostile and odd files', () => {
  it('skips a JSONL line over IMPORT_MAX_RECORD_BYTES, reporting it by line, and imports the 20 good rows around it', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify(good(20_000 + i)));
    lines.splice(10, 0, JSON.stringify(good(20_999, { body: 'x'.repeat(3_000_000) })));
    const run = await importRun('huge-line.jsonl', lines.join('\n') + '\n');
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 20, rowsRejected: 1 } });
    expect(run.errors).toEqual([
      expect.objectContaining({ ref: 'line 11', message: expect.stringMatching(/larger than 65536 bytes/) }),
    ]);
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 20000 AND 20999`)).toBe(20);
  });

  it('skips a CSV record with an unclosed quote and megabytes of text, and imports the rows after it', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${30_000 + i},"Ticket ${30_000 + i}","The export fails"`);
    rows.splice(10, 0, `30999,"Unclosed subject,${'y'.repeat(3_000_000)}`);
    const run = await importRun('unclosed.csv', ['id,subject,description', ...rows].join('\n') + '\n');
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 20, rowsRejected: 1 } });
    expect(refs(run)).toEqual(['line 12']);
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 30000 AND 30999`)).toBe(20);
  });

  it('skips a JSON document record holding one huge string and imports the others', async () => {
    const tickets = Array.from({ length: 20 }, (_, i) => good(40_000 + i));
    tickets.splice(5, 0, good(40_999, { subject: 'z'.repeat(3_000_000) }));
    const run = await importRun('export.json', JSON.stringify({ tickets, next_page: null }));
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 20, rowsRejected: 1 } });
    expect(run.errors).toEqual([
      expect.objectContaining({ ref: 'line 6', message: expect.stringMatching(/larger than 65536 bytes/) }),
    ]);
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 40000 AND 40999`)).toBe(20);
  });
});

describe('ticket import of hostile and odd files', () => {
  it('never un-deletes a ticket, overwrites a synced ticket or rewrites a synced user, and says so per row', async () => {
    const store = t.running.app.get(TicketStore, { strict: false });
    const synced = (id: number) => ({
      zendeskId: id,
      subject: `Synced ${id}`,
      description: 'From Zendesk',
      status: 'open',
      createdAt: new Date('2026-09-01T00:00:00Z'),
      updatedAt: new Date('2026-09-02T00:00:00Z'),
      source: 'zendesk' as const,
      comments: [{ public: true, body: 'From Zendesk', createdAt: new Date('2026-09-01T00:00:00Z') }],
    });
    await store.upsertUsers([{ id: 7001, name: 'Alice Agent', email: 'alice@corp.example', role: 'agent' }]);
    await store.upsertTickets([synced(8001), synced(8002)]);
    await store.markDeleted([8002]);

    const file = [
      good(8001, { subject: 'Overwritten by an old export' }),
      good(8002, { subject: 'Back from the dead' }),
      good(8003, {
        requester_id: 7001,
        requester: 'mallory@evil.example',
        comments: [{ author_id: 7001, author_role: 'end-user', public: false, body: 'Internal: refund approved' }],
      }),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const run = await importRun('old-export.jsonl', file);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 1, rowsSkipped: 2 } });
    expect(run.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ref: 'line 1', message: expect.stringMatching(/synced from Zendesk/) }),
        expect.objectContaining({ ref: 'line 2', message: expect.stringMatching(/deleted in Zendesk/) }),
        expect.objectContaining({ ref: 'line 3', message: expect.stringMatching(/user 7001/) }),
      ]),
    );
    const tickets = await db.query(
      `SELECT zendesk_id, subject, source, status, deleted_at IS NOT NULL AS deleted FROM tickets
        WHERE zendesk_id IN (8001, 8002) ORDER BY zendesk_id`,
    );
    expect(tickets.rows).toEqual([
      { zendesk_id: '8001', subject: 'Synced 8001', source: 'zendesk', status: 'open', deleted: false },
      { zendesk_id: '8002', subject: 'Synced 8002', source: 'zendesk', status: 'deleted', deleted: true },
    ]);
    expect((await api(t.url, 'GET', '/api/tickets/8002', { token })).status).toBe(404);
    const user = await db.query(`SELECT name, email, role FROM zendesk_users WHERE id = 7001`);
    expect(user.rows).toEqual([{ name: 'Alice Agent', email: 'alice@corp.example', role: 'agent' }]);
    const note = await db.query(
      `SELECT author_role FROM ticket_comments WHERE ticket_id = 8003 AND body = 'Internal: refund approved'`,
    );
    expect(note.rows).toEqual([{ author_role: 'agent' }]);
  });
});
