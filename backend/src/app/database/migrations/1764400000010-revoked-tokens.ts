import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE revoked_token (
        jti uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX revoked_token_expires_at_idx ON revoked_token (expires_at)`,
  `CREATE INDEX revoked_token_user_id_idx ON revoked_token (user_id)`,
];

const down = [`DROP TABLE revoked_token`];

/** Bearer tokens ended by logout, by their `jti`, kept until they would have expired anyway. */
export class RevokedTokens1764400000010 extends SqlMigration {
  constructor() {
    super('RevokedTokens1764400000010', { up, down });
  }
}
