import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a migration runs: its statements forward (`up`) and back (`down`), each in order. */
export interface MigrationSql {
  up: readonly string[];
  down: readonly string[];
}

/**
 * A migration that is its name and its SQL. The subclass keeps its own class name and passes the same `name`
 * (both are recorded in deployed databases' `migrations` table, so neither ever changes); TypeORM constructs it
 * without arguments.
 */
export abstract class SqlMigration implements MigrationInterface {
  protected constructor(
    readonly name: string,
    private readonly sql: MigrationSql,
  ) {}

  async up(q: QueryRunner): Promise<void> {
    for (const statement of this.sql.up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of this.sql.down) await q.query(statement);
  }
}

/**
 * A one-row settings table (its id is always 1): a JSON value admins edit at run time, and who changed it when.
 * The text is the one deployed databases ran; it must not change.
 */
export const singleRowSettingsTable = (name: string) => `
      CREATE TABLE ${name} (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        value jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      )`;
