import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE run_chunks (
        run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        ticket_ids bigint[] NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'done', 'failed')),
        claimed_by varchar(200),
        claim_token uuid,
        claimed_at timestamptz,
        lease_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        done_tickets integer NOT NULL DEFAULT 0,
        issues_found integer NOT NULL DEFAULT 0,
        no_product_issue integer NOT NULL DEFAULT 0,
        failed_tickets integer NOT NULL DEFAULT 0,
        done_by varchar(200),
        halted boolean NOT NULL DEFAULT false,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        PRIMARY KEY (run_id, seq)
      )`,
  `CREATE INDEX run_chunks_open_idx ON run_chunks (run_id, seq) WHERE status IN ('pending', 'claimed')`,
];

const down = [`DROP TABLE run_chunks`];

/**
 * The analyze phase of a run split into chunks of ticket ids, so every free worker process shares it (Bull help
 * jobs; see sync/chunks). A participant claims a chunk with `FOR UPDATE SKIP LOCKED` and holds it by a lease it
 * renews while working; a claim whose lease ran out (its holder died) is taken over. `attempts` counts claims;
 * a chunk that keeps failing ends `failed` with its reason (its tickets stay pending for the next run).
 */
export class RunChunks1764400000007 extends SqlMigration {
  constructor() {
    super('RunChunks1764400000007', { up, down });
  }
}
