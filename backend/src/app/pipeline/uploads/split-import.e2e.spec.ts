import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { login, startTestApp, TestApp } from '../../../testing/test-app';
import { importFile, upload, waitForRun } from '../../../testing/runs';
import { createTestDatabase, TestDatabase } from '../../../testing/test-database';
import { PIPELINE_QUEUE_NAME } from '../queue/pipeline-queue';
import { UPLOAD_CHUNK_BYTES } from './import-uploads.service';
import { dropPrefix, REDIS_URL, testPrefix } from '../../../testing/test-redis';

/**
 * The shipped split topology: one API process (PROCESS_ROLE=api) takes the upload, a worker process
 * (PROCESS_ROLE=worker) with its own DATA_DIR runs the import; they share one PostgreSQL database and one Redis
 * prefix, nothing else. Each "process" is a Nest application in this Jest process with its own DATA_DIR,
 * database pool and Bull connections. The worker's machine cannot see the API's disk: where a test must be sure
 * of that, the API's DATA_DIR/imports is deleted before the worker starts.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` JSONL tickets of ~`bytesEach` bytes (a field the import ignores pads them): a multi-chunk upload. */
function ticketsFile(count: number, bytesEach = 12_000, firstId = 20_000): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: firstId + i,
      subject: `Ticket ${i}: the CSV export times out`,
      body: `The CSV export times out for big reports (account ${i}), we cannot send the numbers to finance.`,
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      raw_export: `${i}:`.padEnd(bytesEach, 'x'),
    }),
  ).join('\n');
}

/** A multipart upload whose body the test releases in steps: `parts` may wait on the test before yielding. */
function streamedUpload(t: TestApp, token: string, name: string, parts: AsyncIterable<string>, signal?: AbortSignal) {
  const boundary = `----pim${randomBytes(8).toString('hex')}`;
  async function* body() {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n`,
    );
    for await (const part of parts) yield Buffer.from(part);
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return fetch(`${t.url}/api/tickets/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Readable.toWeb(Readable.from(body())) as ReadableStream,
    duplex: 'half',
    signal,
  } as RequestInit);
}

jest.setTimeout(240_000);
const prefix = testPrefix();
const env = { REDIS_URL, REDIS_PREFIX: prefix };
let database: TestDatabase;
let apiApp: TestApp;
let worker: TestApp | undefined;
let db: Client;
let token: string;

const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
const startWorker = (dataDir?: string) => startTestApp({ database, dataDir, env: { ...env, PROCESS_ROLE: 'worker' } });
const importsOf = (t: TestApp) => {
  const dir = join(t.dataDir, 'imports');
  return existsSync(dir) ? readdirSync(dir) : [];
};
/** What an import may leave behind: stored uploads, their chunks, files under either process's DATA_DIR. */
const leftovers = async () => {
  const [row] = await q(
    `SELECT (SELECT count(*) FROM import_uploads)::int AS uploads,
            (SELECT count(*) FROM import_upload_chunks)::int AS chunks`,
  );
  return { ...row, apiFiles: importsOf(apiApp), workerFiles: worker ? importsOf(worker) : [] };
};
const nothingLeft = { uploads: 0, chunks: 0, apiFiles: [], workerFiles: [] };
/** The run ends in the worker before its Bull job does (the job then refreshes caches): wait for the job too. */
const settled = async () => {
  const queue = apiApp.running.app.get<Queue>(getQueueToken(PIPELINE_QUEUE_NAME));
  for (let i = 0; i < 200 && (await queue.getJobCounts()).active > 0; i++) await sleep(50);
};

beforeAll(async () => {
  database = await createTestDatabase();
  apiApp = await startTestApp({ database, env: { ...env, PROCESS_ROLE: 'api' } });
  db = new Client({ connectionString: database.url });
  await db.connect();
  token = await login(apiApp.url);
});

afterAll(async () => {
  await settled().catch(() => undefined);
  await db?.end();
  await worker?.close().catch(() => undefined);
  await apiApp?.close().catch(() => undefined);
  await dropPrefix(prefix);
  await database?.drop();
});

describe('imports in the split topology (API and worker share only PostgreSQL and Redis)', () => {
  it('imports a 300-ticket upload completely on a worker that cannot see the API disk, and leaves nothing', async () => {
    const content = ticketsFile(300);
    const runId = await importFile(apiApp, token, content);
    // Stored in the database, in order, in chunks of ~1 MB, while no worker is up yet.
    const [stored] = await q(
      `SELECT size::int AS size, chunks, completed_at IS NOT NULL AS complete FROM import_uploads`,
    );
    expect(stored).toEqual({
      size: Buffer.byteLength(content),
      chunks: Math.ceil(Buffer.byteLength(content) / UPLOAD_CHUNK_BYTES),
      complete: true,
    });
    expect(stored.chunks).toBeGreaterThanOrEqual(3);
    const onApiDisk = importsOf(apiApp);
    // Another machine: whatever the API keeps on its own disk is out of the worker's reach.
    rmSync(join(apiApp.dataDir, 'imports'), { recursive: true, force: true });

    worker = await startWorker();
    const run = await waitForRun(apiApp, token, runId);
    expect(run).toMatchObject({ status: 'succeeded', error: null, stats: { rowsImported: 300, rowsRejected: 0 } });
    const [tickets] = await q(
      `SELECT count(*)::int AS n, min(zendesk_id)::int AS first, max(zendesk_id)::int AS last FROM tickets`,
    );
    expect(tickets).toEqual({ n: 300, first: 20_000, last: 20_299 });
    expect(onApiDisk).toEqual([]);
    await settled();
    expect(await leftovers()).toEqual(nothingLeft);
  });

  it('a run that fails (its stored upload lost a chunk) fails with the reason and leaves nothing', async () => {
    // The worker is stopped while the upload is damaged, then a fresh one (its own DATA_DIR) takes the run.
    await worker!.close();
    worker = undefined;
    const runId = await importFile(apiApp, token, ticketsFile(300, 12_000, 30_000));
    await q(`DELETE FROM import_upload_chunks WHERE seq = 1`);
    worker = await startWorker();
    const run = await waitForRun(apiApp, token, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/uploaded file of this import is incomplete \(chunk 1 of \d+ is missing\)/);
    await settled();
    expect(await leftovers()).toEqual(nothingLeft);
    expect((await q(`SELECT count(*)::int AS n FROM tickets WHERE zendesk_id >= 30000`))[0].n).toBe(0);
  });

  it('answers 409 while a run is active and stores nothing', async () => {
    const [active] = await q(
      `INSERT INTO runs (kind, trigger, status, phase) VALUES ('analyze', 'manual', 'running', 'analyze') RETURNING id`,
    );
    try {
      const res = await upload(apiApp, token, 'tickets.jsonl', ticketsFile(150, 12_000, 40_000));
      expect(res.status).toBe(409);
      expect(res.body.message).toContain(active.id);
      expect(await leftovers()).toEqual(nothingLeft);
    } finally {
      await q(`DELETE FROM runs WHERE id = $1`, [active.id]);
    }
  });
});

describe('imports in the split topology (API and worker share only PostgreSQL and Redis)', () => {
  it('removes the stored upload when a run became active while it arrived (409 at the end)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const lines = ticketsFile(300, 12_000, 50_000);
    const half = lines.lastIndexOf('\n', lines.length / 2) + 1;
    const response = streamedUpload(
      apiApp,
      token,
      'tickets.jsonl',
      (async function* () {
        yield lines.slice(0, half);
        await gate;
        yield lines.slice(half);
      })(),
    );
    // The first ~1.8 MB are stored before the run starts elsewhere.
    for (let i = 0; i < 200 && !(await q(`SELECT 1 FROM import_upload_chunks`)).length; i++) await sleep(50);
    expect((await q(`SELECT count(*)::int AS n FROM import_uploads`))[0].n).toBe(1);
    const [active] = await q(
      `INSERT INTO runs (kind, trigger, status, phase) VALUES ('analyze', 'manual', 'running', 'analyze') RETURNING id`,
    );
    try {
      release();
      const res = await response;
      expect(res.status).toBe(409);
      expect((await res.json()).message).toContain(active.id);
      expect(await leftovers()).toEqual(nothingLeft);
    } finally {
      await q(`DELETE FROM runs WHERE id = $1`, [active.id]);
    }
  });

  it('removes what arrived of an upload whose client went away', async () => {
    const abort = new AbortController();
    const lines = ticketsFile(300, 12_000, 60_000);
    const response = streamedUpload(
      apiApp,
      token,
      'tickets.jsonl',
      (async function* () {
        yield lines.slice(0, lines.length / 2);
        await new Promise(() => undefined); // the rest never comes
      })(),
      abort.signal,
    ).catch((error: Error) => error);
    for (let i = 0; i < 200 && !(await q(`SELECT 1 FROM import_upload_chunks`)).length; i++) await sleep(50);
    expect((await q(`SELECT count(*)::int AS n FROM import_uploads`))[0].n).toBe(1);
    abort.abort();
    expect(((await response) as Error).name).toBe('AbortError');
    for (let i = 0; i < 200 && (await q(`SELECT 1 FROM import_uploads`)).length; i++) await sleep(50);
    expect(await leftovers()).toEqual(nothingLeft);
  });

  it('a second API replica takes uploads too (nothing is tied to the API that received it)', async () => {
    const replica = await startTestApp({ database, env: { ...env, PROCESS_ROLE: 'api' } });
    try {
      const other = await login(replica.url);
      const runId = await importFile(replica, other, ticketsFile(20, 100, 70_000));
      const run = await waitForRun(apiApp, token, runId);
      expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 20 } });
      await settled();
      expect({ ...(await leftovers()), replicaFiles: importsOf(replica) }).toEqual({
        ...nothingLeft,
        replicaFiles: [],
      });
    } finally {
      await replica.close();
    }
  });
});

describe('imports in the split topology (API and worker share only PostgreSQL and Redis)', () => {
  it('accepts a file name with a NUL (RFC 5987 filename*): the run is created with the name cleaned', async () => {
    const boundary = 'pimboundary';
    const res = await fetch(`${apiApp.url}/api/tickets/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body:
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''tick%00ets.jsonl\r\n\r\n` +
        `${ticketsFile(3, 100, 80_000)}\r\n--${boundary}--\r\n`,
    });
    expect(res.status).toBe(202);
    const run = await waitForRun(apiApp, token, (await res.json()).runId);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 3 } });
    await settled();
    expect(await leftovers()).toEqual(nothingLeft);
  });

  it('purges uploads orphaned by a crash when a process starts, and keeps the ones still in use', async () => {
    // No worker: the queued run below must stay queued (a starting process re-enqueues unfinished runs).
    await worker?.close();
    worker = undefined;
    const insert = (age: string, complete: boolean) =>
      q(
        `INSERT INTO import_uploads (id, file_name, size, chunks, updated_at, completed_at)
         VALUES (gen_random_uuid(), 'x.jsonl', 3, 1, now() - $1::interval, CASE WHEN $2 THEN now() END) RETURNING id`,
        [age, complete],
      ).then(async ([row]) => {
        await q(`INSERT INTO import_upload_chunks (upload_id, seq, data) VALUES ($1, 0, '\\x7b7d0a')`, [row.id]);
        return row.id as string;
      });
    const staleUnfinished = await insert('1 hour', false); // its API died mid-upload
    const ofFinishedRun = await insert('0 seconds', true); // its worker died before removing it
    const arriving = await insert('0 seconds', false); // another API is receiving it right now
    const ofActiveRun = await insert('2 hours', true); // its run is queued: it will read it
    await q(
      `INSERT INTO runs (kind, trigger, status, phase, params, finished_at)
       VALUES ('import', 'import', 'failed', 'done', jsonb_build_object('upload', $1::text), now())`,
      [ofFinishedRun],
    );
    const [active] = await q(
      `INSERT INTO runs (kind, trigger, status, phase, params)
       VALUES ('import', 'import', 'queued', 'queued', jsonb_build_object('upload', $1::text)) RETURNING id`,
      [ofActiveRun],
    );
    // A crashed worker's temporary copy, and one of the upload its active run will read.
    const dataDir = mkdtempSync(join(tmpdir(), 'pim-test-'));
    mkdirSync(join(dataDir, 'imports'));
    writeFileSync(join(dataDir, 'imports', `${staleUnfinished}.upload`), 'partial');
    writeFileSync(join(dataDir, 'imports', `${ofActiveRun}.upload`), 'in use');
    // An API replica starting.
    const replica = await startTestApp({ database, dataDir, env: { ...env, PROCESS_ROLE: 'api' } });
    try {
      const left = (await q(`SELECT id FROM import_uploads`)).map((r) => r.id).sort();
      expect(left).toEqual([arriving, ofActiveRun].sort());
      expect(readdirSync(join(dataDir, 'imports'))).toEqual([`${ofActiveRun}.upload`]);
    } finally {
      await replica.close();
      rmSync(dataDir, { recursive: true, force: true });
      await q(`DELETE FROM runs WHERE id = $1`, [active.id]);
      await q(`DELETE FROM import_uploads`);
    }
  });
});
