import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingTicket, TicketStore } from '../ticket-store.service';
import { TicketImportService } from './ticket-import.service';

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
      return {
        inserted: tickets.length,
        updated: 0,
        textChanged: [],
        staleThreads: [],
        commentsStored: 0,
        skipped: [],
      };
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
});
