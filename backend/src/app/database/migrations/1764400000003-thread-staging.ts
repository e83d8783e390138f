import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threads fetched in bulk: the export marks tickets whose thread must be (re)fetched; comment events of the
 * event export are staged here (bounded memory, crash-safe) and assembled per ticket at the end.
 */
export class ThreadStaging1764400000003 implements MigrationInterface {
  name = 'ThreadStaging1764400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN thread_stale boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE tickets ADD COLUMN expected_comments integer`);
    await q.query(`CREATE INDEX tickets_thread_stale_idx ON tickets (zendesk_id) WHERE thread_stale`);
    await q.query(`
      CREATE TABLE comment_staging (
        ticket_id bigint NOT NULL,
        zendesk_comment_id bigint NOT NULL,
        author_id bigint,
        public boolean NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (ticket_id, zendesk_comment_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE comment_staging`);
    await q.query(`DROP INDEX tickets_thread_stale_idx`);
    await q.query(`ALTER TABLE tickets DROP COLUMN expected_comments`);
    await q.query(`ALTER TABLE tickets DROP COLUMN thread_stale`);
  }
}
