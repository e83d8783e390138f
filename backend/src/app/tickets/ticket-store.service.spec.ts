import type { EntityManager } from 'typeorm';
import type { IncomingTicket } from './incoming-ticket';
import type { CommentRepository } from './repositories/comment.repository';
import type { CommentStagingRepository } from './repositories/comment-staging.repository';
import type { PeopleRepository } from './repositories/people.repository';
import type { TicketRepository, TicketWriteRow, TicketWriteState } from './repositories/ticket.repository';
import { TicketScrubHooks } from './ticket-scrub.hooks';
import { TicketStore } from './ticket-store.service';

/** TicketStore over plain-object repositories: the ownership rules and what it writes, no database. */
function setup(stored: Partial<TicketWriteState>[] = []) {
  const tx = {} as EntityManager;
  const written: TicketWriteRow[] = [];
  const tickets = {
    transaction: jest.fn(async <T>(work: (m: EntityManager) => Promise<T>) => work(tx)),
    findWriteStates: jest.fn(async () => stored as TicketWriteState[]),
    upsert: jest.fn(async (rows: TicketWriteRow[]) => {
      written.push(...rows);
    }),
    linkMerges: jest.fn(async (links: unknown[]) => links.length),
    scrub: jest.fn(async (ids: number[]) => ids.length),
  };
  const comments = { deleteForTickets: jest.fn(async () => undefined), insert: jest.fn(async () => undefined) };
  const staging = { deleteForTickets: jest.fn(async () => undefined) };
  const people = {
    findRoles: jest.fn(async () => [{ id: 9, role: 'agent', source: 'zendesk' }]),
    findSyncedUsers: jest.fn(async () => [
      { id: 9, name: 'Alice Agent', email: 'alice@corp.example', role: 'agent', organization_id: null },
    ]),
    upsertUsers: jest.fn(async () => undefined),
  };
  const scrubHooks = new TicketScrubHooks();
  const purged: Array<[number[], EntityManager]> = [];
  scrubHooks.register(async (ids, m) => void purged.push([ids, m]));
  const store = new TicketStore(
    tickets as unknown as TicketRepository,
    comments as unknown as CommentRepository,
    staging as unknown as CommentStagingRepository,
    people as unknown as PeopleRepository,
    scrubHooks,
  );
  return { store, tickets, comments, staging, people, tx, written, purged };
}

const incoming = (zendeskId: number, over: Partial<IncomingTicket> = {}): IncomingTicket => ({
  zendeskId,
  subject: `Ticket ${zendeskId}`,
  description: 'It breaks',
  status: 'open',
  createdAt: new Date('2026-09-01T00:00:00Z'),
  updatedAt: new Date('2026-09-02T00:00:00Z'),
  source: 'import',
  comments: [{ public: true, body: 'It breaks', createdAt: new Date('2026-09-01T00:00:00Z'), authorId: 9 }],
  ...over,
});

const state = (zendeskId: number, over: Partial<TicketWriteState> = {}): Partial<TicketWriteState> => ({
  zendeskId,
  source: 'zendesk',
  contentHash: 'x'.repeat(64),
  commentCount: 1,
  threadStale: false,
  deletedAt: null,
  updatedAt: new Date('2026-09-02T00:00:00Z'),
  ...over,
});

describe('TicketStore', () => {
  it('never lets an import overwrite a synced ticket or restore one deleted in Zendesk', async () => {
    const { store, written } = setup([
      state(1),
      state(2, { source: 'import', deletedAt: new Date() }),
      state(3, { source: 'import' }),
    ]);
    const result = await store.upsertTickets([incoming(1), incoming(2), incoming(3), incoming(4)]);
    expect(result.skipped).toEqual([
      { zendeskId: 1, reason: 'synced' },
      { zendeskId: 2, reason: 'deleted' },
    ]);
    expect(written.map((r) => r.zendesk_id)).toEqual([3, 4]);
    expect(result).toMatchObject({ inserted: 1, updated: 1, textChanged: [3, 4] });
  });

  it('writes a changed thread in the transaction, with Zendesk’s role for a synced author whatever the file says', async () => {
    const { store, comments, tx } = setup([state(3, { source: 'import' })]);
    const ticket = incoming(3);
    ticket.comments![0]!.authorRole = 'end-user';
    const result = await store.upsertTickets([ticket]);
    expect(comments.deleteForTickets).toHaveBeenCalledWith([3], tx);
    expect(comments.insert).toHaveBeenCalledWith(
      [expect.objectContaining({ ticketId: 3, position: 0, authorId: 9, authorRole: 'agent' })],
      tx,
    );
    expect(result.commentsStored).toBe(1);
  });

  it('flags the thread of an exported ticket whose update time moved, and keeps its stored hash', async () => {
    const { store, written, comments } = setup([state(5, { updatedAt: new Date('2026-08-01T00:00:00Z') })]);
    const result = await store.upsertTickets([incoming(5, { source: 'zendesk', comments: undefined })], {
      markThreadStale: true,
    });
    expect(result).toMatchObject({ staleThreads: [5], textChanged: [] });
    expect(written[0]).toMatchObject({ thread_stale: true, content_hash: 'x'.repeat(64) });
    expect(comments.deleteForTickets).not.toHaveBeenCalled();
  });

  it('links merges: the last merge of a ticket wins, a ticket merged into itself is no link', async () => {
    const { store, tickets } = setup();
    expect(await store.linkMerges([{ source: 1, target: 1 }])).toBe(0);
    expect(tickets.linkMerges).not.toHaveBeenCalled();
    await store.linkMerges([
      { source: 1, target: 2 },
      { source: 1, target: 3 },
      { source: 4, target: 2 },
    ]);
    expect(tickets.linkMerges).toHaveBeenCalledWith([
      { source: 1, target: 3 },
      { source: 4, target: 2 },
    ]);
  });

  it('reports the fields of a synced user an import disagrees with', async () => {
    const { store, people } = setup();
    const { kept } = await store.upsertUsers(
      [{ id: 9, name: 'Alice Agent', email: 'alice@corp.example', role: 'end-user' }],
      'import',
    );
    expect(kept).toEqual([{ id: 9, fields: ['role'] }]);
    expect(people.upsertUsers).toHaveBeenCalledWith([expect.objectContaining({ id: 9, role: 'end-user' })], 'import');
  });

  it('scrubs tickets in one transaction: text, comments, staged events and analysis text', async () => {
    const { store, tickets, comments, staging, tx, purged } = setup();
    expect(await store.scrubTickets([])).toBe(0);
    expect(tickets.transaction).not.toHaveBeenCalled();
    expect(await store.scrubTickets([7, 8])).toBe(2);
    for (const call of [tickets.scrub, comments.deleteForTickets, staging.deleteForTickets])
      expect(call).toHaveBeenCalledWith([7, 8], ...(call === tickets.scrub ? [expect.any(String), tx] : [tx]));
    // Derived text (analysis) is purged by the modules that registered for it, in the same transaction.
    expect(purged).toEqual([[[7, 8], tx]]);
  });
});
