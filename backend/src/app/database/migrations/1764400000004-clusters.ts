import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE clusters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        category varchar(64) NOT NULL,
        subcategory varchar(64),
        name varchar(300) NOT NULL,
        summary text NOT NULL DEFAULT '',
        keyphrases text[] NOT NULL DEFAULT '{}',
        named_by varchar(16) NOT NULL DEFAULT 'keyphrases' CHECK (named_by IN ('keyphrases', 'claude', 'pm')),
        named_at_count integer NOT NULL DEFAULT 0,
        issue_count integer NOT NULL DEFAULT 0,
        ticket_count integer NOT NULL DEFAULT 0,
        unique_customers integer NOT NULL DEFAULT 0,
        first_seen timestamptz,
        last_seen timestamptz,
        count_7d integer NOT NULL DEFAULT 0,
        count_prior_7d integer NOT NULL DEFAULT 0,
        trend_pct numeric(16, 1),
        emerging boolean NOT NULL DEFAULT false,
        severity_max varchar(16),
        active boolean NOT NULL DEFAULT true,
        pm_status varchar(16) NOT NULL DEFAULT 'new'
          CHECK (pm_status IN ('new', 'reviewing', 'acknowledged', 'in_progress', 'fixed', 'wont_fix')),
        pm_notes text NOT NULL DEFAULT '',
        owner varchar(200),
        external_url varchar(2000),
        locked_fields text[] NOT NULL DEFAULT '{}',
        merged_into uuid REFERENCES clusters (id) ON DELETE SET NULL,
        centroid jsonb NOT NULL DEFAULT '[]',
        centroid_count integer NOT NULL DEFAULT 0,
        stats_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
          setweight(to_tsvector('english', coalesce(pm_notes, '')), 'C')
        ) STORED
      )`,
  // One index per list filter/sort (active clusters are what lists show).
  `CREATE INDEX clusters_issue_count_idx ON clusters (active, issue_count DESC, seq)`,
  `CREATE INDEX clusters_count_7d_idx ON clusters (active, count_7d DESC, seq)`,
  `CREATE INDEX clusters_trend_idx ON clusters (active, trend_pct DESC NULLS LAST, seq)`,
  `CREATE INDEX clusters_last_seen_idx ON clusters (active, last_seen DESC NULLS LAST, seq)`,
  `CREATE INDEX clusters_first_seen_idx ON clusters (active, first_seen DESC NULLS LAST, seq)`,
  `CREATE INDEX clusters_customers_idx ON clusters (active, unique_customers DESC, seq)`,
  `CREATE INDEX clusters_updated_idx ON clusters (active, updated_at DESC, seq)`,
  `CREATE INDEX clusters_category_idx ON clusters (category, subcategory, issue_count DESC)`,
  `CREATE INDEX clusters_pm_status_idx ON clusters (pm_status, issue_count DESC)`,
  `CREATE INDEX clusters_emerging_idx ON clusters (count_7d DESC) WHERE emerging AND active`,
  `CREATE INDEX clusters_merged_into_idx ON clusters (merged_into) WHERE merged_into IS NOT NULL`,
  `CREATE INDEX clusters_search_idx ON clusters USING gin (search)`,

  `ALTER TABLE issues ADD COLUMN cluster_id uuid REFERENCES clusters (id) ON DELETE SET NULL`,
  `ALTER TABLE issues ADD COLUMN cluster_score real`,
  `ALTER TABLE issues ADD COLUMN hidden boolean NOT NULL DEFAULT false`,
  `
      ALTER TABLE issues ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(summary, '')), 'A') ||
        setweight(to_tsvector('english', left(coalesce(detail, ''), 20000)), 'B') ||
        setweight(to_tsvector('english', left(coalesce(quote, ''), 20000)), 'C')
      ) STORED`,
  `CREATE INDEX issues_cluster_idx ON issues (cluster_id, ticket_created_at DESC)`,
  `CREATE INDEX issues_unclustered_idx ON issues (category, id) WHERE cluster_id IS NULL AND NOT hidden`,
  `CREATE INDEX issues_severity_idx ON issues (severity, ticket_created_at DESC)`,
  `CREATE INDEX issues_type_idx ON issues (issue_type, ticket_created_at DESC)`,
  `CREATE INDEX issues_confidence_idx ON issues (confidence DESC, ticket_created_at DESC)`,
  `CREATE INDEX issues_search_idx ON issues USING gin (search)`,

  `
      CREATE TABLE cluster_memberships (
        id bigserial PRIMARY KEY,
        issue_id uuid NOT NULL,
        ticket_id bigint NOT NULL,
        from_cluster_id uuid,
        to_cluster_id uuid,
        reason varchar(16) NOT NULL
          CHECK (reason IN ('assigned', 'placed', 'auto_merge', 'merge', 'split', 'move')),
        score real,
        run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX cluster_memberships_to_idx ON cluster_memberships (to_cluster_id, created_at DESC)`,
  `CREATE INDEX cluster_memberships_from_idx ON cluster_memberships (from_cluster_id, created_at DESC)`,
  `CREATE INDEX cluster_memberships_ticket_idx ON cluster_memberships (ticket_id, created_at DESC)`,

  // Where a ticket's issues were placed, keyed by the fingerprint (category + summary): survives the
  // re-analysis that replaces the issue rows. `pinned` = a PM decided it (move, split, merge).
  `
      CREATE TABLE issue_placements (
        ticket_id bigint NOT NULL REFERENCES tickets (zendesk_id) ON DELETE CASCADE,
        fingerprint char(32) NOT NULL,
        category varchar(64) NOT NULL,
        cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        pinned boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, fingerprint)
      )`,
  `CREATE INDEX issue_placements_cluster_idx ON issue_placements (cluster_id)`,

  `
      CREATE TABLE cluster_merge_proposals (
        cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        score real NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster_id, candidate_id)
      )`,
  `CREATE INDEX cluster_merge_proposals_candidate_idx ON cluster_merge_proposals (candidate_id)`,

  // The engine's vocabulary and document frequencies (one row); `version` orders writers (runs and triage).
  `
      CREATE TABLE clustering_state (
        id smallint PRIMARY KEY CHECK (id = 1),
        model jsonb,
        version bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
  `INSERT INTO clustering_state (id, model, version) VALUES (1, NULL, 0)`,
];

const down = [
  `DROP TABLE clustering_state`,
  `DROP TABLE cluster_merge_proposals`,
  `DROP TABLE issue_placements`,
  `DROP TABLE cluster_memberships`,
  ...[
    'issues_search_idx',
    'issues_confidence_idx',
    'issues_type_idx',
    'issues_severity_idx',
    'issues_unclustered_idx',
    'issues_cluster_idx',
  ].map((index) => `DROP INDEX ${index}`),
  ...['search', 'hidden', 'cluster_score', 'cluster_id'].map((column) => `ALTER TABLE issues DROP COLUMN ${column}`),
  `DROP TABLE clusters`,
];

/**
 * Clusters: the groups of issues PMs triage, their membership history, the clustering engine's persisted state,
 * merge proposals, and the placement memory that keeps PM decisions across re-analysis. Issues get a cluster,
 * a `hidden` flag (ticket deleted) and full-text search.
 */
export class Clusters1764400000004 extends SqlMigration {
  constructor() {
    super('Clusters1764400000004', { up, down });
  }
}
