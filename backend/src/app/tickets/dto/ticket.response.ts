import { ApiProperty } from '@nestjs/swagger';
import { TicketComment } from '../entities/ticket-comment.entity';
import type { TicketSummaryRow } from '../repositories/ticket.repository';

export class TicketSummaryResponse {
  zendeskId!: number;
  /**
   * The id an imported file gave the ticket when it was not a Zendesk id (`TCK-1042`, a uuid): `zendeskId` is then
   * an internal id mapped from it. null for Zendesk ids.
   */
  originalId!: string | null;
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
  /** The number of matches, counted up to 10,000, or 1,000 with a search (then the cap, `totalExact` false). */
  total!: number;
  page!: number;
  perPage!: number;
  /** False when `total` is the count's cap: there are more matches than that. */
  totalExact!: boolean;
  /** The `cursor` of the next page (cheap at any depth), or null on the last page. */
  nextCursor!: string | null;
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
  /** Zendesk's comment type: `Comment`, or `VoiceComment` / `TpeVoiceComment` for a call (its transcription). */
  kind!: string;

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
      kind: c.kind ?? 'Comment',
    });
  }
}

/** A ticket custom field as Zendesk sends it. */
export class TicketCustomFieldResponse {
  id!: number;
  /** Text, number, checkbox, dropdown tag or multiselect list, depending on the field type; null when empty. */
  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
  })
  value!: unknown;
}

/** One ticket with its thread, as the tickets module holds it (the API adds its analysis: TicketDetailResponse). */
export class TicketThreadResponse extends TicketSummaryResponse {
  description!: string;
  type!: string | null;
  channel!: string | null;
  brandId!: number | null;
  assigneeId!: number | null;
  groupId!: number | null;
  /** `satisfaction_rating.score`: offered, unoffered, good or bad; null when never offered. */
  satisfaction!: string | null;
  requesterName!: string | null;
  /** The ticket's custom fields (plan, region, product area, ...), read-only. */
  customFields!: TicketCustomFieldResponse[];
  /** The organization's custom fields, from the side-loaded organization; empty without an organization. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  organizationFields!: Record<string, unknown>;
  /** The ticket this one was merged into in Zendesk: it is not counted as a separate report. */
  mergedIntoId!: number | null;
  comments!: TicketCommentResponse[];
}

export function ticketSummary(t: TicketSummaryRow, orgName: string | null, zendeskUrl: string | null): TicketSummaryResponse {
  return Object.assign(new TicketSummaryResponse(), {
    zendeskId: t.zendeskId,
    originalId: t.originalId ?? null,
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
