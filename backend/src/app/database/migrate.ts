import { DataSource } from 'typeorm';

const MIGRATION_LOCK = 727_001; // any constant; shared by every process of this app

/**
 * Runs pending migrations. On a real PostgreSQL a session advisory lock makes concurrent starts (API replicas,
 * workers) run them once; PGlite has a single session and a single process, so it needs none.
 */
export async function runMigrations(dataSource: DataSource, embedded: boolean): Promise<string[]> {
  if (embedded) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
