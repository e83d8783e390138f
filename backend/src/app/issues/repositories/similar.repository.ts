import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import { liveTicket } from '@app/tickets/ticket.filters';

/** The ticket similar tickets are looked for: its texts and its `search` vector's text form. */
export interface SimilarSourceRow {
  zendesk_id: string | number;
  subject: string;
  description: string;
  lexemes: string | null;
}

/** A candidate ticket with the clusters of its visible issues. */
export interface SimilarCandidateRow {
  zendesk_id: string | number;
  original_id: string | null;
  subject: string;
  description: string;
  status: string;
  created_at: Date | string;
  clusters: string[];
}

/** Reads of the similar-tickets search: live tickets and their visible issues' clusters. */
@Injectable()
export class SimilarRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A live ticket with its description cut at `maxDescription` characters. */
  async ticket(zendeskId: number, maxDescription: number): Promise<SimilarSourceRow | undefined> {
    const [row]: SimilarSourceRow[] = await this.dataSource.query(
      `SELECT zendesk_id, subject, left(description, ${maxDescription}) AS description, search::text AS lexemes
         FROM tickets WHERE zendesk_id = $1 AND ${liveTicket()}`,
      [zendeskId],
    );
    return row;
  }

  /** The clusters of the ticket's visible issues. */
  async clustersOf(zendeskId: number): Promise<string[]> {
    const rows: Array<{ cluster_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT cluster_id FROM issues i WHERE i.ticket_id = $1 AND ${visibleIssue('i')} AND i.cluster_id IS NOT NULL`,
      [zendeskId],
    );
    return rows.map((r) => r.cluster_id);
  }

  /**
   * Candidate ticket ids: the best `fullText` matches (`ts_rank`, at most `limits.fullText`) and the tickets of
   * the clusters' most recent visible issues (at most `limits.clusterMates`), never the ticket itself.
   */
  async candidateIds(
    zendeskId: number,
    clusterIds: string[],
    fullText: string,
    limits: { fullText: number; clusterMates: number },
  ): Promise<number[]> {
    const rows: Array<{ id: string | number }> = await this.dataSource.query(
      `(SELECT t.zendesk_id AS id FROM tickets t
         WHERE $3 <> '' AND t.search @@ $3::tsquery AND t.zendesk_id <> $1 AND ${liveTicket('t')}
         ORDER BY ts_rank(t.search, $3::tsquery) DESC, t.zendesk_id LIMIT ${limits.fullText})
       UNION
       (SELECT i.ticket_id AS id FROM issues i
         WHERE i.cluster_id = ANY($2::uuid[]) AND i.ticket_id <> $1 AND ${visibleIssue('i')}
         GROUP BY i.ticket_id ORDER BY max(i.ticket_created_at) DESC, i.ticket_id LIMIT ${limits.clusterMates})`,
      [zendeskId, clusterIds, fullText],
    );
    return rows.map((r) => Number(r.id));
  }

  /** The live tickets among `ids`, descriptions cut at `maxDescription`, with their clusters. */
  async candidates(ids: number[], maxDescription: number): Promise<SimilarCandidateRow[]> {
    return this.dataSource.query(
      `SELECT t.zendesk_id, t.original_id, t.subject, left(t.description, ${maxDescription}) AS description, t.status, t.created_at,
              coalesce(array_agg(DISTINCT i.cluster_id) FILTER (WHERE i.cluster_id IS NOT NULL), '{}') AS clusters
         FROM tickets t LEFT JOIN issues i ON i.ticket_id = t.zendesk_id AND ${visibleIssue('i')}
        WHERE t.zendesk_id = ANY($1::bigint[]) AND ${liveTicket('t')}
        GROUP BY t.zendesk_id`,
      [ids],
    );
  }

  /** Lexeme document frequencies (`ts_stat`) of the `sample` most recent live tickets, and how many there are. */
  async lexemeStats(sample: number): Promise<{ docs: number; df: Map<string, number> }> {
    const sampleSql = `SELECT search FROM tickets WHERE ${liveTicket()} ORDER BY zendesk_id DESC LIMIT ${sample}`;
    const rows: Array<{ word: string; ndoc: number }> = await this.dataSource.query(
      `SELECT word, ndoc FROM ts_stat($1)`,
      [sampleSql],
    );
    const [count]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (${sampleSql}) s`,
    );
    return { docs: Number(count?.n ?? 0), df: new Map(rows.map((r) => [r.word, Number(r.ndoc)])) };
  }
}
