import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { pageWindow } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { TicketCommentResponse, TicketThreadResponse, TicketPageResponse, ticketSummary } from './dto/ticket.response';
import { TicketComment } from './entities/ticket-comment.entity';
import { Ticket } from './entities/ticket.entity';
import { ZendeskOrganization } from './entities/zendesk-organization.entity';
import { ZendeskUser } from './entities/zendesk-user.entity';
import { MAPPED_ID_MIN } from './ticket-ids';

/** Reads of synced tickets. Deleted tickets are hidden everywhere. */
@Injectable()
export class TicketsService {
  constructor(
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
    @InjectRepository(TicketComment) private readonly comments: Repository<TicketComment>,
    @InjectRepository(ZendeskOrganization) private readonly organizations: Repository<ZendeskOrganization>,
    @InjectRepository(ZendeskUser) private readonly users: Repository<ZendeskUser>,
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
    const { skip, take, page, perPage } = pageWindow(query);
    const qb = this.tickets.createQueryBuilder('t').where('t.deleted_at IS NULL');
    if (query.search?.trim())
      qb.andWhere(`t.search @@ websearch_to_tsquery('english', :q)`, { q: query.search.trim() });
    if (query.status?.length) qb.andWhere('t.status IN (:...status)', { status: query.status });
    if (query.organizationId) qb.andWhere('t.organization_id = :org', { org: query.organizationId });
    if (query.startDate) qb.andWhere('t.created_at >= :from', { from: query.startDate });
    if (query.endDate) qb.andWhere('t.created_at < :to', { to: query.endDate });
    const [field, direction] = (query.sort ?? 'createdAt:desc').split(':');
    qb.orderBy(
      `t.${field === 'updatedAt' ? 'updated_at' : 'created_at'}`,
      direction === 'asc' ? 'ASC' : 'DESC',
    ).addOrderBy('t.zendesk_id', 'DESC');
    const [rows, total] = await qb.skip(skip).take(take).getManyAndCount();
    const orgs = await this.organizationNames(rows.map((r) => r.organizationId));
    return {
      items: rows.map((t) =>
        ticketSummary(
          t,
          t.organizationId != null ? (orgs.get(t.organizationId) ?? null) : null,
          this.zendeskUrl(t.zendeskId),
        ),
      ),
      total,
      page,
      perPage,
    };
  }

  async get(zendeskId: number): Promise<TicketThreadResponse> {
    const ticket = await this.tickets.findOne({ where: { zendeskId } });
    if (!ticket || ticket.deletedAt) throw new NotFoundException(`Ticket ${zendeskId} not found`);
    const comments = await this.comments.find({ where: { ticketId: zendeskId }, order: { position: 'ASC' } });
    const people = new Set<number>(comments.map((c) => c.authorId).filter((id): id is number => id != null));
    if (ticket.requesterId != null) people.add(ticket.requesterId);
    const names = new Map(
      (people.size ? await this.users.find({ where: { id: In([...people]) }, select: ['id', 'name'] }) : []).map(
        (u) => [u.id, u.name],
      ),
    );
    const orgs = await this.organizationNames([ticket.organizationId]);
    const org =
      ticket.organizationId != null
        ? await this.organizations.findOne({
            where: { id: ticket.organizationId },
            select: ['id', 'organizationFields'],
          })
        : null;
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
      organizationFields: org?.organizationFields ?? {},
      mergedIntoId: ticket.mergedIntoId,
      comments: comments.map((c) => TicketCommentResponse.from(c, names)),
    });
  }

  private async organizationNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((id): id is number => id != null))];
    if (!unique.length) return new Map();
    return new Map(
      (await this.organizations.find({ where: { id: In(unique) }, select: ['id', 'name'] })).map((o) => [o.id, o.name]),
    );
  }
}
