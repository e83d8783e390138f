import { SqlMigration } from '../sql-migration';

const up = [
  `ALTER TABLE tickets ADD COLUMN original_id varchar(128)`,
  `CREATE UNIQUE INDEX tickets_original_id_idx ON tickets (original_id) WHERE original_id IS NOT NULL`,
];

const down = [`DROP INDEX tickets_original_id_idx`, `ALTER TABLE tickets DROP COLUMN original_id`];

/**
 * Tickets imported from files whose ids are not Zendesk's integers (`TCK-1042`, a uuid) keep that id: the ticket
 * row is the mapping from the original id to the internal one (unique, so one original id is one ticket).
 */
export class TicketOriginalIds1764400000013 extends SqlMigration {
  constructor() {
    super('TicketOriginalIds1764400000013', { up, down });
  }
}
