import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { UploadRepository } from '../repositories/upload.repository';

/** Bytes per stored chunk: one INSERT per MB keeps round trips few and each row far below any limit. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** An unfinished or unclaimed upload nobody wrote to for this long is an orphan (its process died). */
export const UPLOAD_IDLE_MS = 15 * 60_000;
/** Where a process materialises an upload it imports (under its own DATA_DIR). */
const TEMP_DIR = 'imports';
const TEMP_SUFFIX = '.upload';

export interface StoredUpload {
  uploadId: string;
  fileName: string;
  size: number;
}

/** The name as it can be stored and shown: no control characters (PostgreSQL text holds no NUL), 255 chars. */
export function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean.slice(0, 255) || 'upload';
}

/**
 * Uploaded import files in PostgreSQL (`import_uploads`, `import_upload_chunks`): the API streams the multipart
 * body in as it arrives, the process that runs the import streams it back out to a temporary file of its own.
 * Nothing but the database is shared, so any worker on any machine can run any import. At most one chunk is in
 * memory at a time on either side.
 */
@Injectable()
export class ImportUploadsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportUploadsService.name);

  constructor(
    private readonly uploads: UploadRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores `body` as a new upload, one chunk at a time: the next bytes are read only once the previous chunk is
   * written, so a fast client waits for the database instead of filling memory. A body that fails half-way
   * leaves nothing behind. `truncated` (the size limit cut the body) keeps the upload unfinished.
   */
  async receive(fileName: string, body: Readable & { truncated?: boolean }): Promise<StoredUpload> {
    const uploadId = randomUUID();
    const name = cleanFileName(fileName);
    await this.uploads.create(uploadId, name);
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.appendChunk(uploadId, seq++, data);
    };
    try {
      for await (const part of body as AsyncIterable<Buffer>) {
        pending.push(part);
        pendingBytes += part.length;
        size += part.length;
        if (pendingBytes >= UPLOAD_CHUNK_BYTES) await flush();
      }
      if (body.truncated) {
        // Over the size limit: multer answers 413; the partial upload is of no use to anyone.
        await this.remove(uploadId);
        return { uploadId, fileName: name, size };
      }
      await flush();
      await this.uploads.complete(uploadId);
      return { uploadId, fileName: name, size };
    } catch (error) {
      await this.remove(uploadId).catch(() => undefined);
      throw error;
    }
  }

  private async appendChunk(uploadId: string, seq: number, data: Buffer): Promise<void> {
    if (!(await this.uploads.appendChunk(uploadId, seq, data)))
      throw new Error(`upload ${uploadId} was removed while it was being received`);
  }

  /**
   * Streams a finished upload into a temporary file under this process's DATA_DIR, calls `use` with its path,
   * and removes the file afterwards, whatever `use` did. Throws when the upload is gone or incomplete.
   */
  async withLocalFile<T>(uploadId: string, use: (path: string, fileName: string) => Promise<T>): Promise<T> {
    const upload = await this.uploads.get(uploadId);
    if (!upload?.completedAt) {
      throw new Error(`The uploaded file of this import is gone (${upload?.fileName ?? 'unknown'}); upload it again`);
    }
    const dir = join(this.config.dataDir, TEMP_DIR);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${uploadId}${TEMP_SUFFIX}`);
    try {
      await pipeline(Readable.from(this.chunks(uploadId, upload.chunks)), createWriteStream(path));
      const written = (await stat(path)).size;
      if (written !== Number(upload.size)) {
        throw new Error(`The uploaded file of this import is incomplete (${written} of ${upload.size} bytes)`);
      }
      return await use(path, upload.fileName);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** The chunks in order, one query (one chunk in memory) at a time. */
  private async *chunks(uploadId: string, count: number): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < count; seq++) {
      const data = await this.uploads.chunk(uploadId, seq);
      if (!data)
        throw new Error(`The uploaded file of this import is incomplete (chunk ${seq} of ${count} is missing)`);
      yield data;
    }
  }

  /** The id of the active run, if any: an upload started meanwhile would end in a 409. */
  activeRunId(): Promise<string | null> {
    return this.uploads.activeRunId();
  }

  /** Deletes an upload and its chunks (nothing if it is gone already). */
  remove(uploadId: string): Promise<void> {
    return this.uploads.remove(uploadId);
  }

  /**
   * Deletes uploads no run needs: those whose run has ended, and those no active run names that nobody wrote to
   * for UPLOAD_IDLE_MS (an upload cut off by a crash, or one whose run was never created). In this process's
   * DATA_DIR, removes what no active run is reading. The number of uploads deleted.
   */
  async purgeOrphans(): Promise<number> {
    const deleted = await this.uploads.removeOrphans(UPLOAD_IDLE_MS);
    await this.purgeLocalFiles();
    if (deleted.length) this.logger.log(`removed ${deleted.length} orphaned upload(s)`);
    return deleted.length;
  }

  /** Files under DATA_DIR/imports that no active run reads: left by a crash (or spooled by an older version). */
  private async purgeLocalFiles(): Promise<void> {
    const dir = join(this.config.dataDir, TEMP_DIR);
    const names = await readdir(dir).catch(() => [] as string[]);
    if (!names.length) return;
    const active = await this.uploads.activeRunFiles();
    const keep = new Set(active.flatMap((r) => [r.upload && `${r.upload}${TEMP_SUFFIX}`, r.file && join(r.file)]));
    for (const name of names) {
      if (keep.has(name) || keep.has(join(dir, name))) continue;
      await rm(join(dir, name), { force: true, recursive: true });
    }
  }

  /** Whatever a crash left behind is cleared when a process starts. */
  async onApplicationBootstrap(): Promise<void> {
    await this.purgeOrphans().catch((error: unknown) =>
      this.logger.warn(`upload purge failed: ${errorMessage(error)}`),
    );
  }
}
