import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE zendesk_organizations (
        id bigint PRIMARY KEY,
        name varchar(500) NOT NULL DEFAULT '',
        domain_names text[] NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz,
        updated_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now()
      )`,
  `
      CREATE TABLE zendesk_users (
        id bigint PRIMARY KEY,
        name varchar(500) NOT NULL DEFAULT '',
        email varchar(320),
        role varchar(16) NOT NULL DEFAULT 'end-user',
        organization_id bigint,
        created_at timestamptz,
        updated_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now()
      )`,
  `
      CREATE TABLE tickets (
        zendesk_id bigint PRIMARY KEY,
        subject text NOT NULL DEFAULT '',
        description text NOT NULL DEFAULT '',
        status varchar(16) NOT NULL,
        priority varchar(16),
        type varchar(16),
        tags text[] NOT NULL DEFAULT '{}',
        requester_id bigint,
        submitter_id bigint,
        assignee_id bigint,
        organization_id bigint,
        group_id bigint,
        brand_id bigint,
        channel varchar(64),
        custom_fields jsonb NOT NULL DEFAULT '[]',
        satisfaction varchar(16),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        source varchar(16) NOT NULL DEFAULT 'zendesk',
        content_hash char(64) NOT NULL,
        analyzed_hash char(64),
        comment_count integer NOT NULL DEFAULT 0,
        deleted_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', coalesce(subject, '')), 'A') ||
          setweight(to_tsvector('english', left(coalesce(description, ''), 100000)), 'B')
        ) STORED
      )`,
  `CREATE INDEX tickets_created_idx ON tickets (created_at DESC) WHERE deleted_at IS NULL`,
  `CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC)`,
  `CREATE INDEX tickets_org_idx ON tickets (organization_id, created_at DESC) WHERE deleted_at IS NULL`,
  `CREATE INDEX tickets_status_idx ON tickets (status, created_at DESC) WHERE deleted_at IS NULL`,
  `CREATE INDEX tickets_search_idx ON tickets USING gin (search)`,
  `CREATE INDEX tickets_needs_analysis_idx ON tickets (zendesk_id) WHERE deleted_at IS NULL AND analyzed_hash IS DISTINCT FROM content_hash`,
  `
      CREATE TABLE ticket_comments (
        id bigserial PRIMARY KEY,
        ticket_id bigint NOT NULL REFERENCES tickets (zendesk_id) ON DELETE CASCADE,
        zendesk_comment_id bigint,
        position integer NOT NULL,
        author_id bigint,
        author_role varchar(16) NOT NULL DEFAULT 'unknown',
        public boolean NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT ticket_comments_position_key UNIQUE (ticket_id, position)
      )`,
  `
      CREATE TABLE sync_state (
        key varchar(64) PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
  `
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL,
        trigger varchar(16) NOT NULL,
        status varchar(16) NOT NULL,
        phase varchar(16) NOT NULL,
        done integer NOT NULL DEFAULT 0,
        total integer,
        params jsonb NOT NULL DEFAULT '{}',
        stats jsonb NOT NULL DEFAULT '{}',
        errors jsonb NOT NULL DEFAULT '[]',
        error text,
        schedule_key varchar(64),
        requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz
      )`,
  // One active run at a time (a trigger while one runs answers 409), one run per schedule tick across replicas.
  `CREATE UNIQUE INDEX runs_one_active_idx ON runs ((1)) WHERE status IN ('queued', 'running')`,
  `CREATE UNIQUE INDEX runs_schedule_key_idx ON runs (schedule_key) WHERE schedule_key IS NOT NULL`,
  `CREATE INDEX runs_created_idx ON runs (created_at DESC)`,
];

const down = ['runs', 'sync_state', 'ticket_comments', 'tickets', 'zendesk_users', 'zendesk_organizations'].map(
  (table) => `DROP TABLE ${table}`,
);

export class TicketsAndRuns1764400000001 extends SqlMigration {
  constructor() {
    super('TicketsAndRuns1764400000001', { up, down });
  }
}
