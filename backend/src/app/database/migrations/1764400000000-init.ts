import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(320) NOT NULL,
        name varchar(200) NOT NULL DEFAULT '',
        password_hash varchar(100) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        disabled boolean NOT NULL DEFAULT false,
        token_version integer NOT NULL DEFAULT 0,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE UNIQUE INDEX users_email_key ON users (email)`,
  `
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        actor_email varchar(320),
        action varchar(64) NOT NULL,
        entity_type varchar(64) NOT NULL,
        entity_id varchar(64),
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  `CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, created_at DESC)`,
  `CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC)`,
  `CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, created_at DESC)`,
];

const down = [`DROP TABLE audit_log`, `DROP TABLE users`];

export class Init1764400000000 extends SqlMigration {
  constructor() {
    super('Init1764400000000', { up, down });
  }
}
