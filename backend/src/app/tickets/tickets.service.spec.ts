import { NotFoundException } from '@nestjs/common';
import type { AppConfig } from '@app/config/app-config';
import type { TicketComment } from './entities/ticket-comment.entity';
import type { Ticket } from './entities/ticket.entity';
import type { CommentRepository } from './repositories/comment.repository';
import type { PeopleRepository } from './repositories/people.repository';
import type { TicketRepository } from './repositories/ticket.repository';
import { MAPPED_ID_MIN } from './ticket-ids';
import { TicketsService } from './tickets.service';

/** TicketsService over plain-object repositories: what it asks them, and what it makes of their answers. */
function setup(tickets: Partial<Ticket>[] = [], comments: Partial<TicketComment>[] = []) {
  const ticketRepo = {
    findById: jest.fn(async (id: number) => (tickets.find((t) => t.zendeskId === id) as Ticket) ?? null),
    findPage: jest.fn(async () => ({
      rows: tickets as Ticket[],
      total: tickets.length,
      totalExact: true,
      next: ['t', '2'],
    })),
  };
  const commentRepo = { findThread: jest.fn(async () => comments as TicketComment[]) };
  const people = {
    userNames: jest.fn(async (ids: number[]) => new Map(ids.filter((id) => id < 100).map((id) => [id, `User ${id}`]))),
    organizationNames: jest.fn(async (ids: number[]) => new Map(ids.map((id) => [id, `Org ${id}`]))),
    organizationFields: jest.fn(async () => ({ plan: 'enterprise' })),
  };
  const config = { zendesk: { subdomain: 'acme' } } as unknown as AppConfig;
  const service = new TicketsService(
    ticketRepo as unknown as TicketRepository,
    commentRepo as unknown as CommentRepository,
    people as unknown as PeopleRepository,
    config,
  );
  return { service, ticketRepo, commentRepo, people };
}

const ticket = (over: Partial<Ticket> = {}): Partial<Ticket> => ({
  zendeskId: 42,
  subject: 'Export fails',
  description: 'The CSV export times out',
  status: 'open',
  tags: [],
  organizationId: 7,
  requesterId: 5,
  customFields: [{ id: 1, value: undefined }],
  deletedAt: null,
  mergedIntoId: 40,
  ...over,
});

describe('TicketsService', () => {
  it('answers 404 for a ticket deleted in Zendesk, without reading its thread', async () => {
    const { service, commentRepo } = setup([ticket({ deletedAt: new Date('2026-01-01') })]);
    await expect(service.get(42)).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.get(43)).rejects.toThrow('Ticket 43 not found');
    expect(commentRepo.findThread).not.toHaveBeenCalled();
  });

  it('names the requester, comment authors and organization of a ticket, with its fields and merge link', async () => {
    const { service, people } = setup(
      [ticket()],
      [
        { position: 0, authorId: 5, authorRole: 'end-user', public: true, body: 'It times out', kind: 'Comment' },
        { position: 1, authorId: 500, authorRole: 'agent', public: false, body: 'Known issue', kind: 'Comment' },
      ],
    );
    const detail = await service.get(42);
    expect(people.userNames).toHaveBeenCalledWith(expect.arrayContaining([5, 500]));
    expect(detail).toMatchObject({
      zendeskId: 42,
      organizationName: 'Org 7',
      requesterName: 'User 5',
      organizationFields: { plan: 'enterprise' },
      customFields: [{ id: 1, value: null }],
      mergedIntoId: 40,
      zendeskUrl: 'https://acme.zendesk.com/agent/tickets/42',
    });
    // An author never synced has no name.
    expect(detail.comments.map((c) => [c.authorName, c.public])).toEqual([
      ['User 5', true],
      [null, false],
    ]);
  });

  it('asks nothing about people or organizations a ticket does not name', async () => {
    const { service, people } = setup([ticket({ organizationId: null, requesterId: null })]);
    const detail = await service.get(42);
    expect(people.organizationFields).not.toHaveBeenCalled();
    expect(detail).toMatchObject({ organizationName: null, requesterName: null, organizationFields: {} });
  });

  it('lists with trimmed search and mapped sort, and names each organization once', async () => {
    const { service, ticketRepo, people } = setup([
      ticket({ zendeskId: 1 }),
      ticket({ zendeskId: 2 }),
      ticket({ zendeskId: MAPPED_ID_MIN + 3, organizationId: null }),
    ]);
    const page = await service.list({ search: '  export  ', sort: 'updatedAt:asc', page: 2, perPage: 2 });
    expect(ticketRepo.findPage).toHaveBeenCalledWith(
      expect.objectContaining({ search: 'export', sortField: 'updated_at', sortDirection: 'ASC', skip: 2, take: 2 }),
    );
    expect(people.organizationNames).toHaveBeenCalledWith([7]);
    expect(page.items.map((t) => [t.organizationName, t.zendeskUrl])).toEqual([
      ['Org 7', 'https://acme.zendesk.com/agent/tickets/1'],
      ['Org 7', 'https://acme.zendesk.com/agent/tickets/2'],
      // A ticket imported under another tool's key has no Zendesk URL.
      [null, null],
    ]);
    await service.list({ search: '   ' });
    expect(ticketRepo.findPage).toHaveBeenLastCalledWith(
      expect.objectContaining({ search: undefined, sortField: 'created_at', sortDirection: 'DESC' }),
    );
  });

  it("pages by the keyset of the previous page's last row, numbering from the cursor's page", async () => {
    const { service, ticketRepo } = setup([ticket({ zendeskId: 1 })]);
    const first = await service.list({ sort: 'updatedAt:asc', page: 3, perPage: 1 });
    expect(first).toMatchObject({ page: 3, total: 1, totalExact: true });
    const next = await service.list({ sort: 'updatedAt:asc', cursor: first.nextCursor!, page: 1, perPage: 1 });
    expect(ticketRepo.findPage).toHaveBeenLastCalledWith(expect.objectContaining({ after: ['t', '2'] }));
    expect(next.page).toBe(4);
    // A cursor is bound to its sort: under another, it is a 400 naming the field.
    await expect(service.list({ sort: 'createdAt:asc', cursor: first.nextCursor! })).rejects.toThrow(/^cursor /);
    await expect(service.list({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(/^cursor /);
  });
});
