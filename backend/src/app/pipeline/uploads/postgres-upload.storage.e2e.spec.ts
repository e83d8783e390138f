import type { MulterModuleOptions } from '@nestjs/platform-express';
import express from 'express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config/app-config';
import { dataSourceOptions } from '@app/database/data-source';
import { createTestDatabase, TestDatabase } from '../../../testing/test-database';
import { UploadRepository } from '../repositories/upload.repository';
import { ImportUploadsService, StoredUpload, UPLOAD_CHUNK_BYTES } from './import-uploads.service';
import { PostgresUploadStorage } from './postgres-upload.storage';

// multer ships no types (the workspace has none installed): the one call used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as (options: MulterModuleOptions) => { single(field: string): express.RequestHandler };

/**
 * The storage engine under real multer and a real PostgreSQL database: bytes in = bytes out across chunks, the
 * size limit (the API's is 1 GiB; 2.5 MB here) stores nothing, names are made storable.
 */
const LIMIT = 2_500_000;
let database: TestDatabase;
let dataSource: DataSource;
let uploads: ImportUploadsService;
let dataDir: string;
let server: ReturnType<express.Express['listen']>;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await new DataSource(dataSourceOptions(database.url, false)).initialize();
  await dataSource.runMigrations();
  dataDir = mkdtempSync(join(tmpdir(), 'pim-test-'));
  uploads = new ImportUploadsService(new UploadRepository(dataSource), { dataDir } as AppConfig);
  const app = express();
  const upload = multer({ storage: new PostgresUploadStorage(uploads), limits: { fileSize: LIMIT, files: 1 } });
  app.post('/upload', upload.single('file'), (req, res) => {
    const file = (req as unknown as { file: StoredUpload & { originalname: string } }).file;
    res.json({ uploadId: file.uploadId, fileName: file.fileName, size: file.size, originalname: file.originalname });
  });
  app.use((error: Error & { code?: string }, _req: express.Request, res: express.Response, _next: unknown) => {
    void _next;
    res.status(error.code === 'LIMIT_FILE_SIZE' ? 413 : 500).json({ code: error.code, message: error.message });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await dataSource?.destroy();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = async (content: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const res = await fetch(url, { method: 'POST', body: form });
  return { status: res.status, body: await res.json() };
};
const count = async () =>
  (
    await dataSource.query(
      `SELECT (SELECT count(*) FROM import_uploads)::int AS uploads,
              (SELECT count(*) FROM import_upload_chunks)::int AS chunks`,
    )
  )[0];

describe('PostgresUploadStorage', () => {
  it('gives back the same bytes, in order, across chunks', async () => {
    const content = randomBytes(Math.floor(UPLOAD_CHUNK_BYTES * 2.3));
    const res = await post(content, 'binary.json');
    expect(res).toMatchObject({ status: 200, body: { size: content.length, fileName: 'binary.json' } });
    expect(await count()).toEqual({ uploads: 1, chunks: 3 });
    const copy = await uploads.withLocalFile(res.body.uploadId, async (path, fileName) => {
      expect(fileName).toBe('binary.json');
      expect(path.startsWith(join(dataDir, 'imports'))).toBe(true);
      return readFileSync(path);
    });
    expect(copy.equals(content)).toBe(true);
    // The temporary copy is gone once read; the stored upload stays until its run removes it.
    expect(readdirSync(join(dataDir, 'imports'))).toEqual([]);
    await uploads.remove(res.body.uploadId);
    expect(await count()).toEqual({ uploads: 0, chunks: 0 });
  });

  it('stores nothing of a file over the size limit (413)', async () => {
    const res = await post(randomBytes(LIMIT + 1), 'big.jsonl');
    expect(res).toMatchObject({ status: 413, body: { code: 'LIMIT_FILE_SIZE' } });
    expect(await count()).toEqual({ uploads: 0, chunks: 0 });
    // Exactly the limit is accepted.
    const ok = await post(randomBytes(LIMIT), 'limit.jsonl');
    expect(ok).toMatchObject({ status: 200, body: { size: LIMIT } });
    await uploads.remove(ok.body.uploadId);
  });

  it('keeps a storable name: no NUL or control characters, at most 255 characters', async () => {
    // RFC 5987 `filename*` is how a NUL reaches the name (busboy decodes it); a raw one is a malformed header.
    const boundary = 'pimboundary';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''tick%00ets%07${'x'.repeat(300)}.jsonl\r\n\r\n` +
      `{}\n\r\n--${boundary}--\r\n`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    const json = await res.json();
    expect({ status: res.status, fileName: json.fileName }).toEqual({
      status: 200,
      fileName: `tickets${'x'.repeat(248)}`,
    });
    expect(json.originalname).toBe(json.fileName);
    await uploads.remove(json.uploadId);
  });
});
