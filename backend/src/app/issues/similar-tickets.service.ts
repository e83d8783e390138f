import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { cosine, SparseVector } from '@pim/text-mining';
import { DataSource } from 'typeorm';
import { TicketsService } from '../zendesk/tickets.service';
import { ClusteringStateService } from './clustering/clustering-state.service';
import { SimilarTicketsResponse } from './dto/similar-tickets.response';

const CANDIDATES = 300;

/**
 * Tickets similar to one ticket: candidates are tickets sharing its clusters and the best full-text matches of
 * its subject and issue summaries (PostgreSQL); they are ranked by the engine's TF-IDF cosine over subject and
 * issue texts.
 */
@Injectable()
export class SimilarTicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: ClusteringStateService,
    private readonly tickets: TicketsService,
  ) {}

  async similar(zendeskId: number, limit: number): Promise<SimilarTicketsResponse> {
    const [ticket] = await this.dataSource.query(
      `SELECT zendesk_id, subject FROM tickets WHERE zendesk_id = $1 AND deleted_at IS NULL`,
      [zendeskId],
    );
    if (!ticket) throw new NotFoundException(`Ticket ${zendeskId} not found`);
    const own: Array<{ summary: string; detail: string; cluster_id: string | null }> = await this.dataSource.query(
      `SELECT summary, detail, cluster_id FROM issues WHERE ticket_id = $1 AND NOT hidden`,
      [zendeskId],
    );
    const clusterIds = [...new Set(own.map((i) => i.cluster_id).filter((c): c is string => !!c))];
    const words = [ticket.subject, ...own.map((i) => i.summary)]
      .join(' ')
      .toLowerCase()
      .match(/[a-z][a-z0-9]{2,}/g);
    const orQuery = [...new Set(words ?? [])].slice(0, 30).join(' | ');
    const candidates: Array<{ id: string }> = await this.dataSource.query(
      `(SELECT DISTINCT i.ticket_id AS id FROM issues i
         WHERE i.cluster_id = ANY($2::uuid[]) AND i.ticket_id <> $1 AND NOT i.hidden LIMIT ${CANDIDATES})
       UNION
       (SELECT t.zendesk_id AS id FROM tickets t
         WHERE $3 <> '' AND t.search @@ to_tsquery('english', $3) AND t.zendesk_id <> $1 AND t.deleted_at IS NULL
         ORDER BY ts_rank(t.search, to_tsquery('english', $3)) DESC LIMIT ${CANDIDATES})`,
      [zendeskId, clusterIds, orQuery],
    );
    const ids = candidates.map((c) => Number(c.id));
    if (!ids.length) return { zendeskId, items: [] };
    const rows: Array<Record<string, any>> = await this.dataSource.query(
      `SELECT t.zendesk_id, t.subject, t.status, t.created_at,
              coalesce(string_agg(i.summary || '. ' || i.detail, ' ') FILTER (WHERE i.id IS NOT NULL), '') AS text,
              coalesce(array_agg(DISTINCT i.cluster_id) FILTER (WHERE i.cluster_id IS NOT NULL), '{}') AS clusters
         FROM tickets t LEFT JOIN issues i ON i.ticket_id = t.zendesk_id AND NOT i.hidden
        WHERE t.zendesk_id = ANY($1::bigint[]) AND t.deleted_at IS NULL
        GROUP BY t.zendesk_id`,
      [ids],
    );
    const engine = await this.state.loadShared();
    const vector = (subject: string, text: string): SparseVector =>
      engine.vectorize({ summary: subject, detail: text });
    const query = vector(ticket.subject, own.map((i) => `${i.summary}. ${i.detail}`).join(' '));
    const mine = new Set(clusterIds);
    const items = rows
      .map((r) => {
        const shared = (r['clusters'] as string[]).filter((c) => mine.has(c));
        return {
          zendeskId: Number(r['zendesk_id']),
          subject: r['subject'],
          status: r['status'],
          createdAt: new Date(r['created_at']),
          score: Math.round(cosine(query, vector(r['subject'], r['text'])) * 1e4) / 1e4,
          sharedClusterIds: shared,
          zendeskUrl: this.tickets.zendeskUrl(Number(r['zendesk_id'])),
        };
      })
      .sort(
        (a, b) =>
          b.sharedClusterIds.length - a.sharedClusterIds.length || b.score - a.score || a.zendeskId - b.zendeskId,
      )
      .slice(0, limit);
    return { zendeskId, items };
  }
}
