import { ApiProperty } from '@nestjs/swagger';
import { TicketAnalysisResponse, TicketIssueResponse } from '../../analysis/dto/ticket-analysis.response';
import { TicketComment } from '../entities/ticket-comment.entity';
import { Ticket } from '../entities/ticket.entity';

export class TicketSummaryResponse {
  zendeskId!: number;
  subject!: string;
  status!: string;
  priority!: string | null;
  organizationId!: number | null;
  organizationName!: string | null;
  requesterId!: number | null;
  tags!: string[];
  commentCount!: number;
  @ApiProperty({ enum: ['zendesk', 'import', 'demo'] })
  source!: string;
  createdAt!: Date;
  updatedAt!: Date;
  /** The ticket in Zendesk's agent interface, when a subdomain is configured. */
  zendeskUrl!: string | null;
}

export class TicketPageResponse {
  items!: TicketSummaryResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}

export class TicketCommentResponse {
  position!: number;
  zendeskCommentId!: number | null;
  authorId!: number | null;
  authorName!: string | null;
  @ApiProperty({ enum: ['end-user', 'agent', 'admin', 'unknown'] })
  authorRole!: string;
  /** false: an internal note, never shown to the customer. */
  public!: boolean;
  body!: string;
  createdAt!: Date;

  static from(c: TicketComment, names: Map<number, string>): TicketCommentResponse {
    return Object.assign(new TicketCommentResponse(), {
      position: c.position,
      zendeskCommentId: c.zendeskCommentId,
      authorId: c.authorId,
      authorName: c.authorId != null ? (names.get(c.authorId) ?? null) : null,
      authorRole: c.authorRole,
      public: c.public,
      body: c.body,
      createdAt: c.createdAt,
    });
  }
}

export class TicketDetailResponse extends TicketSummaryResponse {
  description!: string;
  type!: string | null;
  channel!: string | null;
  brandId!: number | null;
  assigneeId!: number | null;
  requesterName!: string | null;
  comments!: TicketCommentResponse[];
  /** The product issues the last analysis found. */
  issues!: TicketIssueResponse[];
  /** The last analysis (whatever its outcome); null until a run has analysed the ticket. */
  analysis!: TicketAnalysisResponse | null;
}

export function ticketSummary(t: Ticket, orgName: string | null, zendeskUrl: string | null): TicketSummaryResponse {
  return Object.assign(new TicketSummaryResponse(), {
    zendeskId: t.zendeskId,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    organizationId: t.organizationId,
    organizationName: orgName,
    requesterId: t.requesterId,
    tags: t.tags,
    commentCount: t.commentCount,
    source: t.source,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    zendeskUrl,
  });
}
