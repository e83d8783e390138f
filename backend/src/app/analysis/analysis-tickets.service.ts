import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnalysisMessage, AnalysisTicket } from './analyzer';

export interface LoadedTicket extends AnalysisTicket {
  analyzedHash: string | null;
  deleted: boolean;
}

/**
 * Reads tickets for analysis and marks them analysed. Ticket rows belong to the zendesk module; analysis only
 * reads them and sets `analyzed_hash`.
 */
@Injectable()
export class AnalysisTicketsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Tickets whose text changed since their last successful analysis (or never analysed), oldest id first. A ticket
   * merged into another is not a separate report: its target (which Zendesk gave the merge comment) is analysed.
   */
  async pendingIds(): Promise<number[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT zendesk_id AS id FROM tickets
        WHERE deleted_at IS NULL AND merged_into_id IS NULL AND NOT thread_stale
          AND analyzed_hash IS DISTINCT FROM content_hash ORDER BY zendesk_id`,
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Of `ids`, those still pending that this run has not recorded yet (at the text they have now). A chunk of a
   * shared run that is taken over from a worker that died part-way is resumed with this: what the first worker
   * recorded (a failed analysis included) is not analysed twice in one run.
   */
  async pendingAmong(ids: number[], runId: string): Promise<number[]> {
    if (!ids.length) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT t.zendesk_id AS id FROM tickets t
        WHERE t.zendesk_id = ANY($1::bigint[]) AND t.deleted_at IS NULL AND t.merged_into_id IS NULL
          AND NOT t.thread_stale
          AND t.analyzed_hash IS DISTINCT FROM t.content_hash
          AND NOT EXISTS (SELECT 1 FROM ticket_analyses a
                           WHERE a.run_id = $2 AND a.ticket_id = t.zendesk_id AND a.content_hash = t.content_hash)
        ORDER BY t.zendesk_id`,
      [ids, runId],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Tickets with their threads and organization names. */
  async load(ids: number[]): Promise<Map<number, LoadedTicket>> {
    const out = new Map<number, LoadedTicket>();
    if (!ids.length) return out;
    const tickets: Array<Record<string, any>> = await this.dataSource.query(
      `SELECT t.zendesk_id, t.subject, t.description, t.status, t.priority, t.tags, t.created_at, t.updated_at,
              t.content_hash, t.analyzed_hash, t.deleted_at, o.name AS organization
         FROM tickets t LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
        WHERE t.zendesk_id = ANY($1::bigint[])`,
      [ids],
    );
    const comments: Array<Record<string, any>> = await this.dataSource.query(
      `SELECT ticket_id, position, author_role, public, body, created_at FROM ticket_comments
        WHERE ticket_id = ANY($1::bigint[]) ORDER BY ticket_id, position`,
      [ids],
    );
    const threads = new Map<number, AnalysisMessage[]>();
    for (const c of comments) {
      const id = Number(c['ticket_id']);
      const role = c['author_role'] as string;
      const author: AnalysisMessage['author'] =
        role === 'end-user'
          ? 'customer'
          : role === 'agent' || role === 'admin'
            ? 'agent'
            : c['position'] === 0
              ? 'customer'
              : 'unknown';
      const list = threads.get(id) ?? [];
      list.push({ author, public: c['public'], body: c['body'], createdAt: new Date(c['created_at']) });
      threads.set(id, list);
    }
    for (const t of tickets) {
      const id = Number(t['zendesk_id']);
      const createdAt = new Date(t['created_at']);
      const messages = threads.get(id) ?? [];
      if (!messages.length && t['description'])
        messages.push({ author: 'customer', public: true, body: t['description'], createdAt });
      out.set(id, {
        zendeskId: id,
        contentHash: t['content_hash'],
        analyzedHash: t['analyzed_hash'],
        deleted: t['deleted_at'] !== null,
        subject: t['subject'],
        status: t['status'],
        priority: t['priority'],
        tags: t['tags'] ?? [],
        organization: t['organization'] ?? null,
        createdAt,
        updatedAt: new Date(t['updated_at']),
        messages,
      });
    }
    return out;
  }
}
