import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settings admins change at run time (e.g. the analysis mode and model): one JSON value per key, overriding the
 * environment's defaults while present.
 */
export class AppSettings1764400000005 implements MigrationInterface {
  name = 'AppSettings1764400000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_setting`);
  }
}
