import { SqlMigration } from '../sql-migration';

const up = [
  `ALTER TABLE ticket_comments ADD COLUMN kind varchar(32) NOT NULL DEFAULT 'Comment'`,
  `ALTER TABLE comment_staging ADD COLUMN kind varchar(32) NOT NULL DEFAULT 'Comment'`,
  `ALTER TABLE tickets ADD COLUMN merged_into_id bigint`,
  `ALTER TABLE tickets ADD COLUMN scrubbed_at timestamptz`,
  `CREATE INDEX tickets_merged_into_idx ON tickets (merged_into_id) WHERE merged_into_id IS NOT NULL`,
  `ALTER TABLE zendesk_organizations ADD COLUMN organization_fields jsonb NOT NULL DEFAULT '{}'`,
];

const down = [
  `ALTER TABLE zendesk_organizations DROP COLUMN organization_fields`,
  `DROP INDEX tickets_merged_into_idx`,
  `ALTER TABLE tickets DROP COLUMN scrubbed_at`,
  `ALTER TABLE tickets DROP COLUMN merged_into_id`,
  `ALTER TABLE comment_staging DROP COLUMN kind`,
  `ALTER TABLE ticket_comments DROP COLUMN kind`,
];

/**
 * What Zendesk really sends: every comment kind kept with its kind (voice calls included), merged tickets linked
 * to their target, scrubbed tickets kept as tombstones, and organization fields stored with the organization.
 */
export class ZendeskRealShapes1764400000012 extends SqlMigration {
  constructor() {
    super('ZendeskRealShapes1764400000012', { up, down });
  }
}
