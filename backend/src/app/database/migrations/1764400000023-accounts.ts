import { singleRowSettingsTable, SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE accounts (
        organization_id bigint PRIMARY KEY REFERENCES zendesk_organizations (id) ON DELETE CASCADE,
        plan varchar(200),
        arr numeric(16, 2) CHECK (arr >= 0),
        mrr numeric(16, 2) CHECK (mrr >= 0),
        seats integer CHECK (seats >= 0),
        segment varchar(200),
        renewal_date date,
        owner varchar(320),
        source varchar(16) NOT NULL CHECK (source IN ('zendesk', 'feed')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX accounts_segment_idx ON accounts (lower(segment))`,
  `CREATE INDEX accounts_plan_idx ON accounts (lower(plan))`,
  `
      CREATE TABLE account_history (
        id bigserial PRIMARY KEY,
        organization_id bigint NOT NULL REFERENCES zendesk_organizations (id) ON DELETE CASCADE,
        valid_from timestamptz NOT NULL DEFAULT now(),
        plan varchar(200),
        arr numeric(16, 2),
        mrr numeric(16, 2),
        seats integer,
        segment varchar(200),
        renewal_date date,
        owner varchar(320),
        source varchar(16) NOT NULL
      )`,
  `CREATE INDEX account_history_org_idx ON account_history (organization_id, valid_from DESC)`,
  singleRowSettingsTable('account_settings'),
  `ALTER TABLE ticket_analyses ADD COLUMN frustration real CHECK (frustration BETWEEN 0 AND 1)`,
];

const down = [
  `ALTER TABLE ticket_analyses DROP COLUMN frustration`,
  `DROP TABLE account_settings`,
  `DROP TABLE account_history`,
  `DROP TABLE accounts`,
];

/**
 * Accounts (issue 18): the commercial attributes of a Zendesk organization — plan, ARR/MRR, seats, segment, renewal
 * date, owner — read from its organization fields through the mapping in `account_settings`, or from a CSV feed;
 * `account_history` keeps every change with the instant it took effect (ARR at the time of a ticket vs now).
 * `ticket_analyses.frustration`: the 0–1 frustration of the analysed ticket (Claude's field, else the local scorer).
 */
export class Accounts1764400000023 extends SqlMigration {
  constructor() {
    super('Accounts1764400000023', { up, down });
  }
}
