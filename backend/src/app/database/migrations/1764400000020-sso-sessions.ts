import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on sessions: the browser holds `id.secret` in an httpOnly cookie, the row holds the secret's hash and
 * the identity provider's refresh token (encrypted). Refreshing the console's bearer token refreshes at the
 * provider, so a user removed there loses access at the next refresh.
 */
export class SsoSessions1764400000020 implements MigrationInterface {
  name = 'SsoSessions1764400000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sso_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        secret_hash varchar(64) NOT NULL,
        refresh_token text,
        created_at timestamptz NOT NULL DEFAULT now(),
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sso_session_user_id_idx ON sso_session (user_id)`);
    await q.query(`CREATE INDEX sso_session_expires_at_idx ON sso_session (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sso_session`);
  }
}
