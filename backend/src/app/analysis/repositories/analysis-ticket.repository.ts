import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { liveTicket, reportedTicket } from '@app/tickets/ticket.filters';
import type { AnalysisStatus } from '../analyzer';

/** A ticket row as analysis reads it (bigint ids come back as strings). */
export interface AnalysisTicketRow {
  zendesk_id: string;
  subject: string;
  description: string | null;
  status: string;
  priority: string | null;
  tags: string[] | null;
  created_at: Date;
  updated_at: Date;
  content_hash: string;
  analyzed_hash: string | null;
  deleted_at: Date | null;
  organization: string | null;
}

/** A comment row of a ticket's thread. */
export interface AnalysisCommentRow {
  ticket_id: string;
  position: number;
  author_role: string | null;
  public: boolean;
  body: string;
  created_at: Date;
}

/** Which tickets a re-analysis request selects (live tickets only); absent fields do not filter. */
export interface ReanalysisSelection {
  ticketIds?: number[];
  startDate?: Date | string;
  endDate?: Date | string;
  category?: string;
  status?: AnalysisStatus[];
}

/**
 * Analysis's reads of the tickets tables (owned by the tickets module, never written here): which tickets are
 * pending analysis, and their text. Visibility comes from the tickets module's filters.
 */
@Injectable()
export class AnalysisTicketRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reported tickets whose text changed since their last successful analysis (or never analysed), by id. */
  async pendingIds(): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT zendesk_id AS id FROM tickets
        WHERE ${reportedTicket()} AND NOT thread_stale
          AND analyzed_hash IS DISTINCT FROM content_hash ORDER BY zendesk_id`,
    );
    return rows.map((r) => Number(r.id));
  }

  /** Of `ids`, those still pending that run `runId` has not recorded an analysis of (at their current text). */
  async pendingNotRecordedIn(ids: readonly number[], runId: string): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT t.zendesk_id AS id FROM tickets t
        WHERE t.zendesk_id = ANY($1::bigint[]) AND ${reportedTicket('t')}
          AND NOT t.thread_stale
          AND t.analyzed_hash IS DISTINCT FROM t.content_hash
          AND NOT EXISTS (SELECT 1 FROM ticket_analyses a
                           WHERE a.run_id = $2 AND a.ticket_id = t.zendesk_id AND a.content_hash = t.content_hash)
        ORDER BY t.zendesk_id`,
      [ids, runId],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Tickets with their organization's name (deleted ones included: the caller decides). */
  ticketsByIds(ids: readonly number[]): Promise<AnalysisTicketRow[]> {
    return this.dataSource.query<AnalysisTicketRow[]>(
      `SELECT t.zendesk_id, t.subject, t.description, t.status, t.priority, t.tags, t.created_at, t.updated_at,
              t.content_hash, t.analyzed_hash, t.deleted_at, o.name AS organization
         FROM tickets t LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
        WHERE t.zendesk_id = ANY($1::bigint[])`,
      [ids],
    );
  }

  /** The threads of the given tickets, in order. */
  commentsOf(ids: readonly number[]): Promise<AnalysisCommentRow[]> {
    return this.dataSource.query<AnalysisCommentRow[]>(
      `SELECT ticket_id, position, author_role, public, body, created_at FROM ticket_comments
        WHERE ticket_id = ANY($1::bigint[]) ORDER BY ticket_id, position`,
      [ids],
    );
  }

  /** Whether the ticket's text changed since its last successful analysis; undefined for an unknown ticket. */
  async isPending(ticketId: number): Promise<boolean | undefined> {
    const [row] = await this.dataSource.query<Array<{ pending: boolean }>>(
      `SELECT (analyzed_hash IS DISTINCT FROM content_hash) AS pending FROM tickets WHERE zendesk_id = $1`,
      [ticketId],
    );
    return row?.pending;
  }

  /** Live tickets a re-analysis request selects (by ids, creation dates, issue category, latest status). */
  async selectForReanalysis(filter: ReanalysisSelection): Promise<number[]> {
    const where: string[] = [liveTicket('t')];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.ticketIds?.length) add('t.zendesk_id = ANY(?)', filter.ticketIds);
    if (filter.startDate) add('t.created_at >= ?', filter.startDate);
    if (filter.endDate) add('t.created_at < ?', filter.endDate);
    if (filter.category)
      add('EXISTS (SELECT 1 FROM issues i WHERE i.ticket_id = t.zendesk_id AND i.category = ?)', filter.category);
    if (filter.status?.length)
      add(
        `(SELECT a.status FROM ticket_analyses a WHERE a.ticket_id = t.zendesk_id ORDER BY a.created_at DESC LIMIT 1) = ANY(?)`,
        filter.status,
      );
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT t.zendesk_id AS id FROM tickets t WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows.map((r) => Number(r.id));
  }
}
