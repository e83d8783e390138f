import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '@app/common/keyset';
import { pageWindow } from '@app/common/pagination';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { TicketCommentResponse, TicketThreadResponse, TicketPageResponse, ticketSummary } from './dto/ticket.response';
import { CommentRepository } from './repositories/comment.repository';
import { PeopleRepository } from './repositories/people.repository';
import { TicketRepository } from './repositories/ticket.repository';
import { MAPPED_ID_MIN } from './ticket-ids';

/** Reads of synced tickets. Deleted tickets are hidden everywhere. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly comments: CommentRepository,
    private readonly people: PeopleRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `https://{subdomain}.zendesk.com/agent/tickets/{id}`, or null without a subdomain (imports, demo) or for a
   * ticket imported under another tool's key (its id is ours, not Zendesk's).
   */
  zendeskUrl(id: number): string | null {
    const sub = this.config.zendesk.subdomain;
    return sub && id < MAPPED_ID_MIN ? `https://${sub}.zendesk.com/agent/tickets/${id}` : null;
  }

  async list(query: ListTicketsQuery): Promise<TicketPageResponse> {
    const { skip, take, perPage, ...window } = pageWindow(query);
    const sort = query.sort ?? 'createdAt:desc';
    const [field, direction] = sort.split(':');
    const after = query.cursor ? decodeCursor(query.cursor, sort, 2) : null;
    const page = after?.page ?? window.page;
    const found = await this.tickets.findPage({
      search: query.search?.trim() || undefined,
      status: query.status,
      organizationId: query.organizationId,
      startDate: query.startDate,
      endDate: query.endDate,
      sortField: field === 'updatedAt' ? 'updated_at' : 'created_at',
      sortDirection: direction === 'asc' ? 'ASC' : 'DESC',
      skip,
      take,
      after: after?.values,
    });
    const orgs = await this.organizationNames(found.rows.map((r) => r.organizationId));
    return {
      items: found.rows.map((t) =>
        ticketSummary(
          t,
          t.organizationId != null ? (orgs.get(t.organizationId) ?? null) : null,
          this.zendeskUrl(t.zendeskId),
        ),
      ),
      total: found.total,
      page,
      perPage,
      totalExact: found.totalExact,
      nextCursor: found.next ? encodeCursor({ page: page + 1, sort, values: found.next }) : null,
    };
  }

  async get(zendeskId: number): Promise<TicketThreadResponse> {
    const ticket = await this.tickets.findById(zendeskId);
    if (!ticket || ticket.deletedAt) throw new NotFoundException(`Ticket ${zendeskId} not found`);
    const comments = await this.comments.findThread(zendeskId);
    const people = new Set<number>(comments.map((c) => c.authorId).filter((id): id is number => id != null));
    if (ticket.requesterId != null) people.add(ticket.requesterId);
    const names = await this.people.userNames([...people]);
    const orgs = await this.organizationNames([ticket.organizationId]);
    const organizationFields =
      ticket.organizationId != null ? await this.people.organizationFields(ticket.organizationId) : null;
    return Object.assign(new TicketThreadResponse(), {
      ...ticketSummary(
        ticket,
        ticket.organizationId != null ? (orgs.get(ticket.organizationId) ?? null) : null,
        this.zendeskUrl(zendeskId),
      ),
      description: ticket.description,
      type: ticket.type,
      channel: ticket.channel,
      brandId: ticket.brandId,
      assigneeId: ticket.assigneeId,
      groupId: ticket.groupId,
      satisfaction: ticket.satisfaction,
      requesterName: ticket.requesterId != null ? (names.get(ticket.requesterId) ?? null) : null,
      customFields: (ticket.customFields ?? []).map((f) => ({ id: f.id, value: f.value ?? null })),
      organizationFields: organizationFields ?? {},
      mergedIntoId: ticket.mergedIntoId,
      comments: comments.map((c) => TicketCommentResponse.from(c, names)),
    });
  }

  private organizationNames(ids: (number | null)[]): Promise<Map<number, string>> {
    return this.people.organizationNames([...new Set(ids.filter((id): id is number => id != null))]);
  }
}
