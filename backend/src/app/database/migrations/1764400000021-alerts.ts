import { singleRowSettingsTable, SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL CHECK (kind IN ('emerging', 'spike', 'critical', 'regression')),
        cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        run_id uuid,
        trigger jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        cleared_at timestamptz
      )`,
  `CREATE UNIQUE INDEX alerts_open_uq ON alerts (cluster_id, kind) WHERE cleared_at IS NULL`,
  `CREATE INDEX alerts_created_idx ON alerts (created_at DESC, id DESC)`,
  `
      CREATE TABLE alert_deliveries (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        channel varchar(16) NOT NULL CHECK (channel IN ('slack', 'email', 'webhook')),
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (alert_id, channel)
      )`,
  `CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX alert_deliveries_sent_idx ON alert_deliveries (channel, sent_at) WHERE status = 'sent'`,
  singleRowSettingsTable('alert_settings'),
];

const down = [`DROP TABLE alert_settings`, `DROP TABLE alert_deliveries`, `DROP TABLE alerts`];

/**
 * Alerts on clusters (emerging, spike, critical, regression), their deliveries per channel, and the alert settings.
 * One open alert per cluster and kind: a partial unique index makes it hold when two workers evaluate at once.
 */
export class Alerts1764400000021 extends SqlMigration {
  constructor() {
    super('Alerts1764400000021', { up, down });
  }
}
