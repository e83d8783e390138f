import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReanalyzeRequest } from './dto/reanalyze.request';
import { TicketAnalysisResponse, TicketIssueResponse } from './dto/ticket-analysis.response';
import { Issue } from './entities/issue.entity';
import { TicketAnalysis } from './entities/ticket-analysis.entity';

/** Asking for re-analysis, and the analysis view of one ticket. */
@Injectable()
export class ReanalysisService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Marks matching tickets for analysis by the next run (their analysed hash is cleared). Returns how many. */
  async mark(filter: ReanalyzeRequest): Promise<number> {
    const where: string[] = ['t.deleted_at IS NULL'];
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
    if (filter.status?.length) {
      add(
        `(SELECT a.status FROM ticket_analyses a WHERE a.ticket_id = t.zendesk_id ORDER BY a.created_at DESC LIMIT 1) = ANY(?)`,
        filter.status,
      );
    }
    const rows = await this.dataSource.query(
      `UPDATE tickets t SET analyzed_hash = NULL WHERE ${where.join(' AND ')} RETURNING t.zendesk_id`,
      params,
    );
    return Array.isArray(rows[0]) ? rows[0].length : rows.length;
  }

  /** The latest analysis of a ticket and its current issues. */
  async forTicket(
    ticketId: number,
  ): Promise<{ analysis: TicketAnalysisResponse | null; issues: TicketIssueResponse[] }> {
    const latest = await this.dataSource
      .getRepository(TicketAnalysis)
      .findOne({ where: { ticketId }, order: { createdAt: 'DESC' } });
    const issues = await this.dataSource
      .getRepository(Issue)
      .find({ where: { ticketId }, order: { createdAt: 'ASC' } });
    const [state] = await this.dataSource.query(
      `SELECT (analyzed_hash IS DISTINCT FROM content_hash) AS pending FROM tickets WHERE zendesk_id = $1`,
      [ticketId],
    );
    return {
      analysis: latest ? TicketAnalysisResponse.from(latest, Boolean(state?.pending)) : null,
      issues: issues.map(TicketIssueResponse.from),
    };
  }
}
