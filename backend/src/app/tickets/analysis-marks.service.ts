import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The analysed mark of tickets (`tickets.analyzed_hash`: the text the last successful analysis saw). The analysis
 * module sets and clears it through this service; the tickets module stays the only writer of its tables.
 */
@Injectable()
export class TicketAnalysisMarks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Marks tickets analysed at the text they had (in the caller's transaction when `manager` is given). Only where
   * the text is still what was analysed: a ticket changed meanwhile stays pending.
   */
  async markAnalyzed(
    tickets: ReadonlyArray<{ zendeskId: number; contentHash: string }>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (!tickets.length) return;
    await manager.query(
      `UPDATE tickets t SET analyzed_hash = x.hash
         FROM unnest($1::bigint[], $2::text[]) AS x(id, hash)
        WHERE t.zendesk_id = x.id AND t.content_hash = x.hash`,
      [tickets.map((t) => t.zendeskId), tickets.map((t) => t.contentHash)],
    );
  }

  /** Clears the mark of the given tickets, so the next run analyses them again. Returns how many were marked. */
  async clearAnalyzed(ids: readonly number[]): Promise<number> {
    if (!ids.length) return 0;
    // An UPDATE answers [rows, count] (PostgreSQL driver) or the rows alone: RETURNING counts either way.
    const result = await this.dataSource.query<unknown[]>(
      `UPDATE tickets SET analyzed_hash = NULL WHERE zendesk_id = ANY($1::bigint[]) RETURNING zendesk_id`,
      [ids],
    );
    return Array.isArray(result[0]) ? result[0].length : result.length;
  }
}
