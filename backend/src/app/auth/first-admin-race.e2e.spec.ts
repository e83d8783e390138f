import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ADMIN, api, login, startTestApp, TestApp } from '../../testing/test-app';
import { createTestDatabase, TestDatabase } from '../../testing/test-database';
import { dataSourceOptions } from '@app/database/data-source';
import { runMigrations } from '@app/database/migrate';

const env = { JWT_SECRET: 'race-secret-race-secret-race-secret-1234' };

/** Boots two apps on one database at the same moment; both must start (the loser finds the admin created). */
async function bootTwo(database: TestDatabase, whileBooting?: () => Promise<void>): Promise<void> {
  const apps: TestApp[] = [];
  try {
    const booting = Promise.allSettled([startTestApp({ database, env }), startTestApp({ database, env })]);
    await whileBooting?.();
    const results = await booting;
    for (const result of results) if (result.status === 'fulfilled') apps.push(result.value);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))).toEqual([]);
    const token = await login(apps[0].url);
    const users = await api(apps[1].url, 'GET', '/api/users', { token });
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual([ADMIN.email]);
  } finally {
    for (const app of apps) await app.close();
  }
}

describe('two processes booting at once on an empty database', () => {
  it.each([1, 2, 3])('both start and share one first admin: fresh database (round %i)', async () => {
    const database = await createTestDatabase();
    try {
      await bootTwo(database);
    } finally {
      await database.drop();
    }
  });

  /** Migrates a fresh database ahead of the boot (e.g. `npm run migrate` in a release step). */
  async function migrated(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, false));
    await dataSource.initialize();
    try {
      await runMigrations(dataSource, false);
    } finally {
      await dataSource.destroy();
    }
    return database;
  }

  // Both processes wait on a lock of the users table, so both look for an admin at the same moment.
  it.each([1, 2, 3])('both start when they reach the first-admin step together (round %i)', async () => {
    const database = await migrated();
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      await bootTwo(database, async () => {
        for (let waited = 0; ; waited += 50) {
          const { rows } = await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'users'::regclass AND NOT granted`,
          );
          if (rows[0].n >= 2) break;
          if (waited > 30_000) throw new Error(`only ${rows[0].n} process(es) waited for the users table`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await holder.query('COMMIT');
      });
    } finally {
      await holder.end();
      await database.drop();
    }
  });
});
