import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import { liveTicket } from '@app/tickets/ticket.filters';
import { standingCluster } from '../cluster.filters';
import type { IssueDetailRow } from './issue-query.repository';

/** A visible issue with its cluster's name, as `npm run mine` writes it. */
export type MinedIssueRow = Pick<
  IssueDetailRow,
  | 'ticket_id'
  | 'category'
  | 'subcategory'
  | 'issue_type'
  | 'severity'
  | 'summary'
  | 'detail'
  | 'quote'
  | 'confidence'
  | 'cluster_id'
  | 'cluster_name'
>;

/** A ticket's topic issue (`--all-tickets`): the ticket's cleaned subject and description. */
/** A live ticket with its latest analysis (the `--all-tickets` topic issues are made from these). */
export interface AnalysedTicket {
  id: string;
  analysis_id: string;
  subject: string;
  description: string;
  created_at: Date;
}

export interface TopicIssue {
  ticketId: number | string;
  analysisId: string;
  summary: string;
  detail: string;
  createdAt: Date;
}

/** The `npm run mine` CLI's queries on issues and clusters (the CLI's own throw-away database). */
@Injectable()
export class MineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every live ticket with its latest analysis. */
  latestAnalysedTickets(): Promise<AnalysedTicket[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (t.zendesk_id) t.zendesk_id AS id, a.id AS analysis_id, t.subject, t.description, t.created_at
         FROM tickets t JOIN ticket_analyses a ON a.ticket_id = t.zendesk_id
        WHERE ${liveTicket('t')} ORDER BY t.zendesk_id, a.created_at DESC`,
    );
  }

  /** `--all-tickets`: one issue per ticket in `category` (a topic, low severity, full confidence). */
  async insertTopicIssues(issues: TopicIssue[], category: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail,
                           confidence, ticket_created_at)
       SELECT x.ticket_id, x.analysis_id, $5, 'topic', 'topic', 'low', x.summary, x.detail, 1, x.created_at
         FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $6::timestamptz[])
           AS x(ticket_id, analysis_id, summary, detail, created_at)`,
      [
        issues.map((i) => i.ticketId),
        issues.map((i) => i.analysisId),
        issues.map((i) => i.summary),
        issues.map((i) => i.detail),
        category,
        issues.map((i) => i.createdAt),
      ],
    );
  }

  /** Every visible issue with its cluster's name, by ticket in the order they were found. */
  async issueLines(): Promise<MinedIssueRow[]> {
    return this.dataSource.query(
      `SELECT i.ticket_id, i.category, i.subcategory, i.issue_type, i.severity, i.summary, i.detail, i.quote,
              i.confidence, i.cluster_id, c.name AS cluster_name
         FROM issues i LEFT JOIN clusters c ON c.id = i.cluster_id
        WHERE ${visibleIssue('i')} ORDER BY i.ticket_id, i.created_at, i.id`,
    );
  }

  /**
   * Standing clusters with visible issues, most tickets first: those of the topic `category` (`topics`) or all
   * others.
   */
  async clusterTable(
    category: string,
    topics: boolean,
  ): Promise<Array<{ id: string; category: string; name: string; tickets: number }>> {
    return this.dataSource.query(
      `SELECT c.id, c.category, c.name, count(DISTINCT i.ticket_id)::int AS tickets
         FROM clusters c JOIN issues i ON i.cluster_id = c.id AND ${visibleIssue('i')}
        WHERE ${standingCluster('c')} AND (c.category = $1) = $2
        GROUP BY c.id ORDER BY tickets DESC, c.name, c.id`,
      [category, topics],
    );
  }
}
