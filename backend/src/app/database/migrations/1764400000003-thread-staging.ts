import { SqlMigration } from '../sql-migration';

const up = [
  `ALTER TABLE tickets ADD COLUMN thread_stale boolean NOT NULL DEFAULT false`,
  `ALTER TABLE tickets ADD COLUMN expected_comments integer`,
  `CREATE INDEX tickets_thread_stale_idx ON tickets (zendesk_id) WHERE thread_stale`,
  `
      CREATE TABLE comment_staging (
        ticket_id bigint NOT NULL,
        zendesk_comment_id bigint NOT NULL,
        author_id bigint,
        public boolean NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (ticket_id, zendesk_comment_id)
      )`,
];

const down = [
  `DROP TABLE comment_staging`,
  `DROP INDEX tickets_thread_stale_idx`,
  `ALTER TABLE tickets DROP COLUMN expected_comments`,
  `ALTER TABLE tickets DROP COLUMN thread_stale`,
];

/**
 * Threads fetched in bulk: the export marks tickets whose thread must be (re)fetched; comment events of the
 * event export are staged here (bounded memory, crash-safe) and assembled per ticket at the end.
 */
export class ThreadStaging1764400000003 extends SqlMigration {
  constructor() {
    super('ThreadStaging1764400000003', { up, down });
  }
}
