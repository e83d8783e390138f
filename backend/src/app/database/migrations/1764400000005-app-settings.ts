import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE app_setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      )`,
];

const down = [`DROP TABLE app_setting`];

/**
 * Settings admins change at run time (e.g. the analysis mode and model): one JSON value per key, overriding the
 * environment's defaults while present.
 */
export class AppSettings1764400000005 extends SqlMigration {
  constructor() {
    super('AppSettings1764400000005', { up, down });
  }
}
