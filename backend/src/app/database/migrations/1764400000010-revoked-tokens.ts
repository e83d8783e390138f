import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bearer tokens ended by logout, by their `jti`, kept until they would have expired anyway. */
export class RevokedTokens1764400000010 implements MigrationInterface {
  name = 'RevokedTokens1764400000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE revoked_token (
        jti uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX revoked_token_expires_at_idx ON revoked_token (expires_at)`);
    await q.query(`CREATE INDEX revoked_token_user_id_idx ON revoked_token (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE revoked_token`);
  }
}
