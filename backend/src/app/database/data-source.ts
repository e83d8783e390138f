import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM options shared by the app, the migration command and tests. Schema changes only ever come from
 * migrations: `synchronize` is always off.
 */
export function dataSourceOptions(url: string, embedded: boolean): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    logging: ['error'],
    extra: {
      // PGlite is a single session: one pooled connection keeps transactions apart.
      max: embedded ? 1 : 10,
      connectionTimeoutMillis: 5_000,
      // A statement that hangs (e.g. the server vanished mid-query) must not hang a request forever.
      query_timeout: 30_000,
      keepAlive: true,
    },
  };
}
