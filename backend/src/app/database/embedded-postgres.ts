import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL the ordinary `pg` driver connects to. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM, data in `DATA_DIR/pgdata`) behind the PostgreSQL wire protocol,
 * so TypeORM and `pg` run unchanged in zero-config mode. PGlite has one session: the app's pool is limited to
 * one connection in this mode (see `dataSourceOptions`), so transactions never interleave.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { inMemory?: boolean } = {},
): Promise<EmbeddedPostgres> {
  // Loaded lazily: production deployments with DATABASE_URL never pay for the WASM runtime.
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer: Server } = await import('@electric-sql/pglite-socket');
  let db: PGlite;
  if (options.inMemory) {
    db = await PGliteClass.create();
  } else {
    const pgdata = join(dataDir, 'pgdata');
    mkdirSync(pgdata, { recursive: true });
    db = await PGliteClass.create({ dataDir: pgdata });
  }
  const server: PGLiteSocketServer = new Server({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const conn = server.getServerConn(); // "127.0.0.1:PORT"
  return {
    url: `postgres://postgres@${conn}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
