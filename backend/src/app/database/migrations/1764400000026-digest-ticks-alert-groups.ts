import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - `digest_ticks`: one row per weekly-digest tick (DIGEST_CRON's scheduled time). The first API process to insert
 *   it sends the digest; every other replica firing the same tick finds the row and sends nothing.
 * - `alerts.grouped_into`: an emerging alert raised in the same evaluation as a sibling cluster of the same problem
 *   (a merge proposal between them) is kept for deduplication per cluster but not delivered nor listed: the
 *   alert it points to is the one the channels and the console show.
 */
export class DigestTicksAlertGroups1764400000026 implements MigrationInterface {
  name = 'DigestTicksAlertGroups1764400000026';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE digest_ticks (
        scheduled_at timestamptz PRIMARY KEY,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        sent_to text[]
      )`);
    await q.query(`ALTER TABLE alerts ADD COLUMN grouped_into uuid REFERENCES alerts (id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX alerts_grouped_into_idx ON alerts (grouped_into) WHERE grouped_into IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts DROP COLUMN grouped_into`);
    await q.query(`DROP TABLE digest_ticks`);
  }
}
