import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingTicket, TicketStore } from '../ticket-store.service';
import { TicketImportService } from './ticket-import.service';

/** Rows the file reader has handed out, seen by the spec (the real reader, counted). */
const read = { rows: 0, onRow: (_n: number) => undefined as void };
jest.mock('./ticket-file-reader', () => {
  const actual = jest.requireActual('./ticket-file-reader');
  return {
    ...actual,
    readTicketFile: async function* (...args: unknown[]) {
      for await (const row of actual.readTicketFile(...args)) {
        read.onRow(++read.rows);
        yield row;
      }
    },
  };
});

/** What the store answers for a batch of new tickets. */
const inserted = (tickets: IncomingTicket[]) => ({
  inserted: tickets.length,
  updated: 0,
  textChanged: [],
  staleThreads: [],
  commentsStored: 0,
  skipped: [],
});

/** A store that refuses (as PostgreSQL would) every batch holding ticket `refused`, failing with `code`. */
function fakeStore(refused: number, code: string) {
  const stored = new Set<number>();
  const store = {
    upsertOrganizations: async () => undefined,
    upsertUsers: async () => ({ kept: [] }),
    upsertTickets: async (tickets: IncomingTicket[]) => {
      if (tickets.some((t) => t.zendeskId === refused))
        throw Object.assign(new Error('invalid input syntax for type bigint: "1.5"'), { code });
      for (const t of tickets) stored.add(t.zendeskId);
      return inserted(tickets);
    },
  };
  return { store: store as unknown as TicketStore, stored };
}

describe('TicketImportService', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pim-import-spec-'));
    file = join(dir, 'tickets.jsonl');
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i + 1, subject: `Ticket ${i + 1}` }));
    writeFileSync(file, lines.join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('isolates the row the database refuses (by halving the batch) and stores every other row', async () => {
    const { store, stored } = fakeStore(23, '22P02');
    const totals = await new TicketImportService(store).importFile(file, 'jsonl');
    expect(totals).toMatchObject({ rowsImported: 39, rowsRejected: 1 });
    expect(totals.rejected).toEqual([
      { line: 23, message: expect.stringMatching(/database refused the row: invalid input syntax for type bigint/) },
    ]);
    expect(stored.size).toBe(39);
    expect(stored.has(23)).toBe(false);
  });

  it('fails the import when the database is away, instead of rejecting every row', async () => {
    const { store } = fakeStore(23, '57P01');
    await expect(new TicketImportService(store).importFile(file, 'jsonl')).rejects.toThrow(/bigint/);
  });

  it('reads the next batch while one is written, writes one batch at a time in file order, and ends with its writes', async () => {
    // 1,200 rows (three batches of 500, 500, 200); ticket 7 again at the end with another subject: the later wins.
    const big = join(dir, 'big.jsonl');
    const rows = Array.from({ length: 1199 }, (_, i) => ({ id: i + 1, subject: `Ticket ${i + 1}` }));
    rows.push({ id: 7, subject: 'Ticket 7, edited' });
    writeFileSync(big, rows.map((r) => JSON.stringify(r)).join('\n'));
    const events: string[] = [];
    read.rows = 0;
    read.onRow = (n) => void (n === 1000 && events.push('read 1000'));
    const subjects = new Map<number, string>();
    let writing = 0;
    const store = {
      upsertOrganizations: async () => undefined,
      upsertUsers: async () => ({ kept: [] }),
      upsertTickets: async (tickets: IncomingTicket[]) => {
        writing++;
        expect(writing).toBe(1); // never two batches at once
        events.push(`write ${tickets[0]!.zendeskId}..${tickets.at(-1)!.zendeskId}`);
        // The database's time: meanwhile the import reads on (the file reader's rows arrive between writes).
        await new Promise((resolve) => setTimeout(resolve, 30));
        for (const t of tickets) subjects.set(t.zendeskId, t.subject);
        writing--;
        events.push('written');
        return inserted(tickets);
      },
    } as unknown as TicketStore;
    const totals = await new TicketImportService(store).importFile(big, 'jsonl', {
      progress: async (t) => void events.push(`progress ${t.rowsImported}`),
    });
    expect(events).toEqual([
      'write 1..500',
      'read 1000', // the second batch was read while the first was being written
      'written',
      'progress 500',
      'write 501..1000',
      'written',
      'progress 1000',
      'write 1001..7',
      'written',
      'progress 1200',
    ]);
    expect(totals.rowsImported).toBe(1200);
    expect(subjects.get(7)).toBe('Ticket 7, edited');
    expect(subjects.size).toBe(1199);
  });

  it('a write that fails fails the import, and no write goes on after it ended', async () => {
    const big = join(dir, 'failing.jsonl');
    writeFileSync(big, Array.from({ length: 1500 }, (_, i) => JSON.stringify({ id: i + 1, subject: 'x' })).join('\n'));
    let calls = 0;
    let lastWriteEnded = 0;
    const store = {
      upsertOrganizations: async () => undefined,
      upsertUsers: async () => ({ kept: [] }),
      upsertTickets: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        lastWriteEnded = Date.now();
        throw Object.assign(new Error('connection terminated'), { code: '57P01' });
      },
    } as unknown as TicketStore;
    await expect(new TicketImportService(store).importFile(big, 'jsonl')).rejects.toThrow(/connection terminated/);
    const ended = Date.now();
    expect(calls).toBe(1); // the failed batch stopped the import: no later batch was written
    expect(lastWriteEnded).toBeLessThanOrEqual(ended);
  });
});
