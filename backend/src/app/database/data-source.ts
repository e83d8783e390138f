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
      // No JIT: the list and impact queries' cost estimates pass jit_above_cost, and compiling them took seconds
      // (5 s of a 12 s cluster list) for queries that run in milliseconds (bench/api/PLANS.md).
      ...(embedded ? {} : { options: '-c jit=off' }),
    },
  };
}
