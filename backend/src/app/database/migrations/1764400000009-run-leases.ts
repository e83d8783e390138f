import { SqlMigration } from '../sql-migration';

const up = [
  `
      ALTER TABLE runs
        ADD COLUMN owner varchar(200),
        ADD COLUMN claim_token uuid,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN lease_until timestamptz`,
];

const down = [
  `ALTER TABLE runs DROP COLUMN owner, DROP COLUMN claim_token, DROP COLUMN attempts, DROP COLUMN lease_until`,
];

/**
 * Runs held by a lease: the process executing a run (`owner`, "host:pid:boot") proves it is alive by renewing
 * `lease_until` on a timer; `claim_token` names its execution (NULL: nobody executes the run, it waits for a job).
 * A run whose lease ran out is resumed by another process or, after `attempts` executions, failed with the reason.
 */
export class RunLeases1764400000009 extends SqlMigration {
  constructor() {
    super('RunLeases1764400000009', { up, down });
  }
}
