import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE external_issues (
        cluster_id uuid PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
        provider varchar(16) NOT NULL CHECK (provider IN ('jira', 'linear')),
        key varchar(64) NOT NULL,
        url text NOT NULL,
        status varchar(128) NOT NULL,
        status_category varchar(16) NOT NULL CHECK (status_category IN ('todo', 'in_progress', 'done', 'canceled')),
        done_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now(),
        sync_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid
      )`,
  `CREATE INDEX external_issues_key_idx ON external_issues (provider, key)`,
];

const down = [`DROP TABLE external_issues`];

/**
 * Issues filed in (or linked from) Jira and Linear for clusters, with the status last read back. One per cluster:
 * filing again or linking another key replaces it.
 */
export class ExternalIssues1764400000022 extends SqlMigration {
  constructor() {
    super('ExternalIssues1764400000022', { up, down });
  }
}
