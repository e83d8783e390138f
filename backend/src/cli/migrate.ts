import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { exitOnFailure } from '@app/common/entry-point';
import { loadConfig } from '@app/config/app-config';
import { dataSourceOptions } from '@app/database/data-source';
import { startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { runMigrations } from '@app/database/migrate';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const dataSource = await new DataSource(
    dataSourceOptions(config.databaseUrl ?? embedded!.url, Boolean(embedded)),
  ).initialize();
  try {
    const applied = await runMigrations(dataSource, Boolean(embedded));
    process.stdout.write(
      applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Database is up to date\n',
    );
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch(exitOnFailure('Migration failed'));
