import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE taxonomy (
        id smallint PRIMARY KEY CHECK (id = 1),
        data jsonb NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL
      )`,
  `
      CREATE TABLE ticket_analyses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id bigint NOT NULL REFERENCES tickets (zendesk_id) ON DELETE CASCADE,
        run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
        analyzer varchar(16) NOT NULL,
        model varchar(100) NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('issues_found', 'no_product_issue', 'failed')),
        reason text NOT NULL CHECK (reason <> ''),
        content_hash char(64) NOT NULL,
        input_tokens integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        cache_write_tokens integer NOT NULL DEFAULT 0,
        cache_read_tokens integer NOT NULL DEFAULT 0,
        cost_usd numeric(14, 8),
        calls integer NOT NULL DEFAULT 0,
        batch_id varchar(100),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX ticket_analyses_ticket_idx ON ticket_analyses (ticket_id, created_at DESC)`,
  `CREATE INDEX ticket_analyses_run_idx ON ticket_analyses (run_id)`,
  `
      CREATE TABLE issues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id bigint NOT NULL REFERENCES tickets (zendesk_id) ON DELETE CASCADE,
        analysis_id uuid NOT NULL REFERENCES ticket_analyses (id) ON DELETE CASCADE,
        category varchar(64) NOT NULL,
        subcategory varchar(64) NOT NULL,
        issue_type varchar(32) NOT NULL,
        severity varchar(16) NOT NULL,
        summary varchar(200) NOT NULL,
        detail text NOT NULL DEFAULT '',
        quote text,
        quote_verified boolean NOT NULL DEFAULT false,
        flags text[] NOT NULL DEFAULT '{}',
        confidence real NOT NULL,
        platform varchar(16),
        user_segment varchar(100),
        has_workaround boolean,
        business_impact text,
        ticket_created_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX issues_ticket_idx ON issues (ticket_id)`,
  `CREATE INDEX issues_category_idx ON issues (category, subcategory, ticket_created_at DESC)`,
  `CREATE INDEX issues_created_idx ON issues (ticket_created_at DESC)`,
  `
      CREATE TABLE analysis_usage (
        id bigserial PRIMARY KEY,
        run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
        ticket_id bigint REFERENCES tickets (zendesk_id) ON DELETE SET NULL,
        model varchar(100) NOT NULL,
        batch boolean NOT NULL DEFAULT false,
        batch_id varchar(100),
        input_tokens integer NOT NULL,
        output_tokens integer NOT NULL,
        cache_write_5m_tokens integer NOT NULL,
        cache_write_1h_tokens integer NOT NULL,
        cache_read_tokens integer NOT NULL,
        cost_usd numeric(14, 8),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX analysis_usage_created_idx ON analysis_usage (created_at)`,
  `CREATE INDEX analysis_usage_run_idx ON analysis_usage (run_id)`,
  `
      CREATE TABLE analysis_batches (
        id varchar(100) PRIMARY KEY,
        run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
        model varchar(100) NOT NULL,
        status varchar(16) NOT NULL,
        requests jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`,
  `CREATE INDEX analysis_batches_open_idx ON analysis_batches (created_at) WHERE status = 'in_progress'`,
];

const down = ['analysis_batches', 'analysis_usage', 'issues', 'ticket_analyses', 'taxonomy'].map(
  (table) => `DROP TABLE ${table}`,
);

export class Analysis1764400000002 extends SqlMigration {
  constructor() {
    super('Analysis1764400000002', { up, down });
  }
}
