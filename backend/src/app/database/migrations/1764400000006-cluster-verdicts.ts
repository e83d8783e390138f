import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE cluster_pair_verdicts (
        cluster_a uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        cluster_b uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        same boolean NOT NULL,
        decided_by varchar(16) NOT NULL CHECK (decided_by IN ('claude', 'pm')),
        reason text NOT NULL DEFAULT '',
        model varchar(100),
        user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster_a, cluster_b),
        CHECK (cluster_a < cluster_b)
      )`,
  `CREATE INDEX cluster_pair_verdicts_b_idx ON cluster_pair_verdicts (cluster_b)`,
];

const down = [`DROP TABLE cluster_pair_verdicts`];

/**
 * Verdicts on pairs of clusters: Claude's adjudication of a borderline merge, or a PM rejecting a merge proposal.
 * A pair judged "not the same" is never proposed (or asked about) again; `cluster_a < cluster_b`.
 */
export class ClusterVerdicts1764400000006 extends SqlMigration {
  constructor() {
    super('ClusterVerdicts1764400000006', { up, down });
  }
}
