/**
 * Runs the pending migrations on a database (e.g. a copy of a bench database built by an earlier commit), and
 * prints how long each took.
 *
 *   TS_NODE_PROJECT=bench/aggregates/tsconfig.json npx ts-node --transpile-only bench/aggregates/migrate.ts <database>
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../backend/src/app/database/data-source';
import { runMigrations } from '../../backend/src/app/database/migrate';
import { databaseUrl } from '../support';

async function main() {
  const name = process.argv[2];
  if (!name) throw new Error('usage: migrate.ts <database>');
  const ds = new DataSource(dataSourceOptions(databaseUrl(name), false));
  await ds.initialize();
  const t0 = Date.now();
  const ran = await runMigrations(ds, false);
  console.log(`ran ${ran.join(', ') || 'nothing'} in ${Date.now() - t0} ms`);
  await ds.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
