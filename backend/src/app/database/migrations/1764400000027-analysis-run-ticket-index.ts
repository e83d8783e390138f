import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ticket_analyses (run_id, ticket_id)` replaces `(run_id)`. A chunk of a shared run asks which of its tickets the
 * run has already recorded (`pendingNotRecordedIn`); with `(run_id)` and `(ticket_id, created_at)` only, PostgreSQL
 * ANDed two bitmaps per ticket, reading every analysis of the run each time: the analyze phase of a 100k-ticket
 * import spent 82 s of database time there (166 ms per 200-ticket chunk, growing with the run), quadratic in the
 * run's size. With the pair it is one index probe per ticket. Lookups by run alone use the pair's first column.
 */
export class AnalysisRunTicketIndex1764400000027 implements MigrationInterface {
  name = 'AnalysisRunTicketIndex1764400000027';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ticket_analyses_run_ticket_idx ON ticket_analyses (run_id, ticket_id)`);
    await q.query(`DROP INDEX ticket_analyses_run_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ticket_analyses_run_idx ON ticket_analyses (run_id)`);
    await q.query(`DROP INDEX ticket_analyses_run_ticket_idx`);
  }
}
