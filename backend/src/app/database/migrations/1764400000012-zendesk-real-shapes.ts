import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Zendesk really sends: every comment kind kept with its kind (voice calls included), merged tickets linked
 * to their target, scrubbed tickets kept as tombstones, and organization fields stored with the organization.
 */
export class ZendeskRealShapes1764400000012 implements MigrationInterface {
  name = 'ZendeskRealShapes1764400000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_comments ADD COLUMN kind varchar(32) NOT NULL DEFAULT 'Comment'`);
    await q.query(`ALTER TABLE comment_staging ADD COLUMN kind varchar(32) NOT NULL DEFAULT 'Comment'`);
    await q.query(`ALTER TABLE tickets ADD COLUMN merged_into_id bigint`);
    await q.query(`ALTER TABLE tickets ADD COLUMN scrubbed_at timestamptz`);
    await q.query(`CREATE INDEX tickets_merged_into_idx ON tickets (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    await q.query(`ALTER TABLE zendesk_organizations ADD COLUMN organization_fields jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE zendesk_organizations DROP COLUMN organization_fields`);
    await q.query(`DROP INDEX tickets_merged_into_idx`);
    await q.query(`ALTER TABLE tickets DROP COLUMN scrubbed_at`);
    await q.query(`ALTER TABLE tickets DROP COLUMN merged_into_id`);
    await q.query(`ALTER TABLE comment_staging DROP COLUMN kind`);
    await q.query(`ALTER TABLE ticket_comments DROP COLUMN kind`);
  }
}
