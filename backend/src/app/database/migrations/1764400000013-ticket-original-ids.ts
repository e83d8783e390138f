import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tickets imported from files whose ids are not Zendesk's integers (`TCK-1042`, a uuid) keep that id: the ticket
 * row is the mapping from the original id to the internal one (unique, so one original id is one ticket).
 */
export class TicketOriginalIds1764400000013 implements MigrationInterface {
  name = 'TicketOriginalIds1764400000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN original_id varchar(128)`);
    await q.query(`CREATE UNIQUE INDEX tickets_original_id_idx ON tickets (original_id) WHERE original_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_original_id_idx`);
    await q.query(`ALTER TABLE tickets DROP COLUMN original_id`);
  }
}
