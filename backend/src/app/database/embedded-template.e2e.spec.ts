import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, startEmbeddedPostgres, writePgliteTemplate } from './embedded-postgres';

async function query(db: EmbeddedPostgres, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
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
    const db = await startEmbeddedPostgres(dir, { inMemory: true, template, warn: (m) => warnings.push(m) });
    try {
      expect(db.fromTemplate).toBe(true);
      await query(db, 'CREATE TABLE t (a int); INSERT INTO t VALUES (41), (1)');
      expect(await query(db, 'SELECT sum(a)::int AS s FROM t')).toEqual([{ s: 42 }]);
    } finally {
      await db.stop();
    }
    expect(warnings).toEqual([]);
  }, 180_000);

  it('fills an empty data directory from it once; later starts open what is there', async () => {
    const dataDir = join(dir, 'persistent');
    const first = await startEmbeddedPostgres(dataDir, { template });
    try {
      expect(first.fromTemplate).toBe(true);
      await query(first, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres(dataDir, { template });
    try {
      expect(second.fromTemplate).toBe(false);
      expect(await query(second, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await second.stop();
    }
  }, 180_000);

  it('runs initdb when the template is unusable (and says why) or missing (silently)', async () => {
    const broken = join(dir, 'broken.tar.gz');
    writeFileSync(broken, 'not a tarball');
    const warnings: string[] = [];
    const dataDir = join(dir, 'after-broken');
    const db = await startEmbeddedPostgres(dataDir, { template: broken, warn: (m) => warnings.push(m) });
    try {
      expect(db.fromTemplate).toBe(false);
      expect(await query(db, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.stop();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(broken);

    const missing = await startEmbeddedPostgres(dir, {
      inMemory: true,
      template: join(dir, 'nope.tar.gz'),
      warn: (m) => warnings.push(m),
    });
    try {
      expect(missing.fromTemplate).toBe(false);
      expect(await query(missing, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    } finally {
      await missing.stop();
    }
    expect(warnings).toHaveLength(1);
  }, 180_000);
});
