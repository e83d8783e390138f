import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who wrote a user or organization: `zendesk` (the sync) or an import (`import`, `demo`). An import never
 * overwrites what Zendesk owns (a synced agent must not become an end-user because an old export says so).
 * Rows from before this migration count as synced unless their id is one an import made up (syntheticId:
 * 9,000,000,000,000 and above): the safe side, since only the sync may change them from now on.
 */
export class ZendeskOwnedPeople1764400000011 implements MigrationInterface {
  name = 'ZendeskOwnedPeople1764400000011';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['zendesk_users', 'zendesk_organizations']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN source varchar(16) NOT NULL DEFAULT 'zendesk'`);
      await q.query(`UPDATE ${table} SET source = 'import' WHERE id >= 9000000000000`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['zendesk_users', 'zendesk_organizations'])
      await q.query(`ALTER TABLE ${table} DROP COLUMN source`);
  }
}
