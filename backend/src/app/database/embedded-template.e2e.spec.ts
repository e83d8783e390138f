import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  EmbeddedPostgres,
  EmbeddedPostgresOptions,
  startEmbeddedPostgres,
  writePgliteTemplate,
} from './embedded-postgres';

async function query(db: EmbeddedPostgres, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Starts an embedded database (`startEmbeddedPostgres(dataDir, options)`), hands it to `use`, then stops it. */
async function withEmbedded(
  dataDir: string,
  options: EmbeddedPostgresOptions,
  use: (db: EmbeddedPostgres) => Promise<void>,
): Promise<void> {
  const db = await startEmbeddedPostgres(dataDir, options);
  try {
    await use(db);
  } finally {
    await db.stop();
  }
}

/** New embedded databases start from a template of an initdb'ed data directory instead of running initdb. */
describe('embedded PostgreSQL from a template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pim-template-'));
  const template = join(dir, 'template.tar.gz');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    await writePgliteTemplate(template);
  }, 180_000);

  it('starts an in-memory database from it', async () => {
    const warnings: string[] = [];
    await withEmbedded(dir, { inMemory: true, template, warn: (m) => warnings.push(m) }, async (db) => {
      expect(db.fromTemplate).toBe(true);
      await query(db, 'CREATE TABLE t (a int); INSERT INTO t VALUES (41), (1)');
      expect(await query(db, 'SELECT sum(a)::int AS s FROM t')).toEqual([{ s: 42 }]);
    });
    expect(warnings).toEqual([]);
  }, 180_000);

  it('fills an empty data directory from it once; later starts open what is there', async () => {
    const dataDir = join(dir, 'persistent');
    await withEmbedded(dataDir, { template }, async (first) => {
      expect(first.fromTemplate).toBe(true);
      await query(first, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    });
    await withEmbedded(dataDir, { template }, async (second) => {
      expect(second.fromTemplate).toBe(false);
      expect(await query(second, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    });
  }, 180_000);

  it('runs initdb when the template is unusable (and says why) or missing (silently)', async () => {
    const broken = join(dir, 'broken.tar.gz');
    writeFileSync(broken, 'not a tarball');
    const warnings: string[] = [];
    const dataDir = join(dir, 'after-broken');
    await withEmbedded(dataDir, { template: broken, warn: (m) => warnings.push(m) }, async (db) => {
      expect(db.fromTemplate).toBe(false);
      expect(await query(db, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(broken);

    const missing = { inMemory: true, template: join(dir, 'nope.tar.gz'), warn: (m: string) => warnings.push(m) };
    await withEmbedded(dir, missing, async (db) => {
      expect(db.fromTemplate).toBe(false);
      expect(await query(db, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    });
    expect(warnings).toHaveLength(1);
  }, 180_000);
});
