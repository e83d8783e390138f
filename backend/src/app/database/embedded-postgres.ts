import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL the ordinary `pg` driver connects to. */
  readonly url: string;
  /** The database started from the template (PGLITE_TEMPLATE) instead of a fresh initdb. */
  readonly fromTemplate: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A throw-away database in memory (the `mine` CLI) instead of `DATA_DIR/pgdata`. */
  inMemory?: boolean;
  /**
   * A gzipped PGlite data directory to start from instead of running initdb (`writePgliteTemplate`): initdb is
   * most of PGlite's start-up time and memory (~4 s and ~750 MB peak RSS vs ~1.5 s and ~430 MB from a template).
   * Used only for a new database (in memory, or an empty `pgdata`); missing or unusable: a fresh initdb.
   */
  template?: string;
  /** Told when a template could not be used (why), before falling back to initdb. */
  warn?: (message: string) => void;
}

/** Where `npm run build` writes the template: next to the built entry points (dist/backend). */
export function defaultPgliteTemplate(): string {
  return join(__dirname, 'pglite-template.tar.gz');
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM, data in `DATA_DIR/pgdata`) behind the PostgreSQL wire protocol,
 * so TypeORM and `pg` run unchanged in zero-config mode. PGlite has one session: the app's pool is limited to
 * one connection in this mode (see `dataSourceOptions`), so transactions never interleave.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  // Loaded lazily: production deployments with DATABASE_URL never pay for the WASM runtime.
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer: Server } = await import('@electric-sql/pglite-socket');
  const pgdata = options.inMemory ? undefined : join(dataDir, 'pgdata');
  if (pgdata) mkdirSync(pgdata, { recursive: true });
  const fresh = !pgdata || readdirSync(pgdata).length === 0;

  let db: PGlite | undefined;
  let fromTemplate = false;
  const template = options.template ?? process.env['PGLITE_TEMPLATE'] ?? defaultPgliteTemplate();
  if (fresh && existsSync(template)) {
    try {
      db = await PGliteClass.create({ dataDir: pgdata, loadDataDir: new Blob([readFileSync(template)]) });
      await db.query('SELECT 1');
      fromTemplate = true;
    } catch (error) {
      options.warn?.(`PGlite template ${template} not used (${(error as Error).message}): running initdb`);
      await db?.close().catch(() => undefined);
      db = undefined;
      if (pgdata)
        for (const entry of readdirSync(pgdata)) rmSync(join(pgdata, entry), { recursive: true, force: true });
    }
  }
  db ??= await PGliteClass.create(pgdata ? { dataDir: pgdata } : {});
  const server: PGLiteSocketServer = new Server({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const conn = server.getServerConn(); // "127.0.0.1:PORT"
  const started = db;
  return {
    url: `postgres://postgres@${conn}/postgres`,
    fromTemplate,
    async stop() {
      await server.stop();
      await started.close();
    },
  };
}

/**
 * Runs initdb once and writes the resulting data directory, gzipped, to `file` (atomically): the template
 * `startEmbeddedPostgres` starts new databases from. Run in a process of its own (it peaks at ~800 MB).
 */
export async function writePgliteTemplate(file: string): Promise<void> {
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const db = await PGliteClass.create();
  try {
    const blob = await db.dumpDataDir('gzip');
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    await db.close();
  }
}
