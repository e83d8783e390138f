import { SqlMigration } from '../sql-migration';

const TABLES = ['zendesk_users', 'zendesk_organizations'];

const up = TABLES.flatMap((table) => [
  `ALTER TABLE ${table} ADD COLUMN source varchar(16) NOT NULL DEFAULT 'zendesk'`,
  `UPDATE ${table} SET source = 'import' WHERE id >= 9000000000000`,
]);

const down = TABLES.map((table) => `ALTER TABLE ${table} DROP COLUMN source`);

/**
 * Who wrote a user or organization: `zendesk` (the sync) or an import (`import`, `demo`). An import never
 * overwrites what Zendesk owns (a synced agent must not become an end-user because an old export says so).
 * Rows from before this migration count as synced unless their id is one an import made up (syntheticId:
 * 9,000,000,000,000 and above): the safe side, since only the sync may change them from now on.
 */
export class ZendeskOwnedPeople1764400000011 extends SqlMigration {
  constructor() {
    super('ZendeskOwnedPeople1764400000011', { up, down });
  }
}
