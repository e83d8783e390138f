import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL the ordinary `pg` driver connects to (through the Unix socket in `socketDir`). */
  readonly url: string;
  /** The directory (mode 0700) that holds the server's Unix socket `.s.PGSQL.5432`. */
  readonly socketDir: string;
  /** The database started from the template (PGLITE_TEMPLATE) instead of a fresh initdb. */
  readonly fromTemplate: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A throw-away database in memory (the `mine` CLI) instead of `DATA_DIR/pgdata`. */
  inMemory?: boolean;
  /**
   * A gzipped PGlite data directory to start from instead of running initdb (`writePgliteTemplate`): initdb is
   * most of PGlite's start-up time and memory (docs/adr/0003-embedded-template-database.md).
   * Used only for a new database (in memory, or an empty `pgdata`); missing or unusable: a fresh initdb.
   */
  template?: string;
  /** Told when a template could not be used (why), before falling back to initdb. */
  warn?: (message: string) => void;
}

/** The socket file name `pg` looks for in a socket directory (`host=/dir`, default port). */
const SOCKET_FILE = '.s.PGSQL.5432';
/** Longest Unix socket path Linux and macOS accept (sun_path is 108 and 104 bytes). */
const MAX_SOCKET_PATH = 100;

/**
 * A private directory for the server's Unix socket: `DATA_DIR/pgsocket` (mode 0700, so no other local user can
 * even reach the socket), or a fresh 0700 temporary directory for an in-memory database or when that path is too
 * long for a socket. PGlite has no authentication: a TCP port would let any local process in (issue 13).
 */
function socketDirectory(dataDir: string, inMemory: boolean): { dir: string; temporary: boolean } {
  const inData = join(dataDir, 'pgsocket');
  if (!inMemory && Buffer.byteLength(join(inData, SOCKET_FILE)) <= MAX_SOCKET_PATH) {
    mkdirSync(inData, { recursive: true, mode: 0o700 });
    chmodSync(inData, 0o700); // an existing directory keeps its mode otherwise
    rmSync(join(inData, SOCKET_FILE), { force: true }); // left by a process that died
    return { dir: inData, temporary: false };
  }
  return { dir: mkdtempSync(join(tmpdir(), 'pim-pg-')), temporary: true };
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
  const socket = socketDirectory(dataDir, Boolean(options.inMemory));
  const server: PGLiteSocketServer = new Server({ db, path: join(socket.dir, SOCKET_FILE), maxConnections: 4 });
  await server.start();
  const started = db;
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socket.dir)}`,
    socketDir: socket.dir,
    fromTemplate,
    async stop() {
      await server.stop();
      await started.close();
      rmSync(socket.temporary ? socket.dir : join(socket.dir, SOCKET_FILE), { recursive: true, force: true });
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
