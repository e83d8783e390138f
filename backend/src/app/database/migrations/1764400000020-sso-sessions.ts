import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE sso_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        secret_hash varchar(64) NOT NULL,
        refresh_token text,
        created_at timestamptz NOT NULL DEFAULT now(),
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`,
  `CREATE INDEX sso_session_user_id_idx ON sso_session (user_id)`,
  `CREATE INDEX sso_session_expires_at_idx ON sso_session (expires_at)`,
];

const down = [`DROP TABLE sso_session`];

/**
 * Single sign-on sessions: the browser holds `id.secret` in an httpOnly cookie, the row holds the secret's hash and
 * the identity provider's refresh token (encrypted). Refreshing the console's bearer token refreshes at the
 * provider, so a user removed there loses access at the next refresh.
 */
export class SsoSessions1764400000020 extends SqlMigration {
  constructor() {
    super('SsoSessions1764400000020', { up, down });
  }
}
