import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Issue } from '../entities/issue.entity';
import type { IssueFields } from '../issue-fields';

/** One issue to store for a ticket (its quote already checked against the ticket). */
export interface NewIssueRow extends IssueFields {
  ticketId: number;
  analysisId: string;
  quoteVerified: boolean;
  flags: string[];
  confidence: number;
  platform: string | null;
  userSegment: string | null;
  hasWorkaround: boolean | null;
  businessImpact: string | null;
  ticketCreatedAt: Date;
}

/** The issues table (`issues`): the product problems analysis found, one set per ticket. */
@Injectable()
export class IssueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Purges the text of scrubbed tickets' issues and takes them out of view and out of their clusters. */
  async scrubForTickets(manager: EntityManager, ticketIds: readonly number[]): Promise<void> {
    await manager.query(
      `UPDATE issues SET summary = 'scrubbed', detail = '', quote = NULL, quote_verified = false,
              business_impact = NULL, user_segment = NULL, hidden = true, cluster_id = NULL
        WHERE ticket_id = ANY($1)`,
      [ticketIds],
    );
  }

  /**
   * Replaces the issues of `ticketIds` with `rows` (in the caller's transaction): a new analysis of a ticket
   * supersedes its earlier issues. Set-based: one DELETE and one INSERT whatever the number of tickets.
   */
  async replaceForTickets(manager: EntityManager, ticketIds: readonly number[], rows: readonly NewIssueRow[]) {
    if (!ticketIds.length) return;
    await manager.query(`DELETE FROM issues WHERE ticket_id = ANY($1::bigint[])`, [ticketIds]);
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail, quote,
                           quote_verified, flags, confidence, platform, user_segment, has_workaround,
                           business_impact, ticket_created_at)
       SELECT x.ticket_id, x.analysis_id, x.category, x.subcategory, x.issue_type, x.severity, x.summary, x.detail,
              x.quote, x.quote_verified, ARRAY(SELECT jsonb_array_elements_text(x.flags)), x.confidence, x.platform,
              x.user_segment, x.has_workaround, x.business_impact, x.ticket_created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id bigint, analysis_id uuid, category text, subcategory text,
              issue_type text, severity text, summary text, detail text, quote text, quote_verified boolean,
              flags jsonb, confidence real, platform text, user_segment text, has_workaround boolean,
              business_impact text, ticket_created_at timestamptz)`,
      [JSON.stringify(rows.map(issueJson))],
    );
  }

  /** A ticket's current issues (hidden ones included: the ticket's own view), oldest first. */
  forTicket(ticketId: number): Promise<Issue[]> {
    return this.dataSource.getRepository(Issue).find({ where: { ticketId }, order: { createdAt: 'ASC' } });
  }
}

function issueJson(i: NewIssueRow) {
  return {
    ticket_id: i.ticketId,
    analysis_id: i.analysisId,
    category: i.category,
    subcategory: i.subcategory,
    issue_type: i.issueType,
    severity: i.severity,
    summary: i.summary,
    detail: i.detail,
    quote: i.quote,
    quote_verified: i.quoteVerified,
    flags: i.flags,
    confidence: i.confidence,
    platform: i.platform,
    user_segment: i.userSegment,
    has_workaround: i.hasWorkaround,
    business_impact: i.businessImpact,
    ticket_created_at: i.ticketCreatedAt,
  };
}
