import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** An upload as the import reads it. */
export interface UploadRow {
  fileName: string;
  /** bigint: a string as PostgreSQL returns it. */
  size: string;
  chunks: number;
  completedAt: Date | null;
}

/** What an active run reads: a stored upload, or a file every process has. */
export interface ActiveRunFiles {
  upload: string | null;
  file: string | null;
}

interface IdRow {
  id: string;
}

/**
 * Uploaded import files (`import_uploads`, `import_upload_chunks`), stored a chunk per row. Which uploads are still
 * needed is read from the active run's params (`runs.params->>'upload'`).
 */
@Injectable()
export class UploadRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(id: string, fileName: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO import_uploads (id, file_name) VALUES ($1, $2)`, [id, fileName]);
  }

  /**
   * Stores chunk `seq` and, in the same statement, shows on the upload that it is alive (updated_at) and how far it
   * got. False when the upload is gone (removed while it was being received).
   */
  async appendChunk(uploadId: string, seq: number, data: Buffer): Promise<boolean> {
    const [rows]: [IdRow[], number] = await this.dataSource.query(
      `WITH chunk AS (INSERT INTO import_upload_chunks (upload_id, seq, data) VALUES ($1, $2, $3)
                      RETURNING octet_length(data) AS n)
       UPDATE import_uploads SET chunks = $2 + 1, size = size + (SELECT n FROM chunk), updated_at = now()
        WHERE id = $1 RETURNING id`,
      [uploadId, seq, data],
    );
    return rows.length > 0;
  }

  async complete(uploadId: string): Promise<void> {
    await this.dataSource.query(`UPDATE import_uploads SET completed_at = now(), updated_at = now() WHERE id = $1`, [
      uploadId,
    ]);
  }

  async get(uploadId: string): Promise<UploadRow | null> {
    const rows: UploadRow[] = await this.dataSource.query(
      `SELECT file_name AS "fileName", size::bigint AS size, chunks, completed_at AS "completedAt"
         FROM import_uploads WHERE id = $1`,
      [uploadId],
    );
    return rows[0] ?? null;
  }

  /** The bytes of chunk `seq`; null when it is missing. */
  async chunk(uploadId: string, seq: number): Promise<Buffer | null> {
    const rows: Array<{ data: Buffer }> = await this.dataSource.query(
      `SELECT data FROM import_upload_chunks WHERE upload_id = $1 AND seq = $2`,
      [uploadId, seq],
    );
    return rows[0]?.data ?? null;
  }

  /** Deletes an upload and its chunks (nothing if it is gone already). */
  async remove(uploadId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM import_uploads WHERE id = $1`, [uploadId]);
  }

  /**
   * Deletes uploads no run needs: those whose run has ended, and those no active run names that nobody wrote to
   * for `idleMs`. The ids deleted.
   */
  async removeOrphans(idleMs: number): Promise<string[]> {
    const [deleted]: [IdRow[], number] = await this.dataSource.query(
      `DELETE FROM import_uploads u
        WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.params->>'upload' = u.id::text
                                                 AND r.status IN ('queued', 'running'))
          AND (u.updated_at < now() - make_interval(secs => $1)
               OR EXISTS (SELECT 1 FROM runs r WHERE r.params->>'upload' = u.id::text))
        RETURNING u.id`,
      [idleMs / 1000],
    );
    return deleted.map((r) => r.id);
  }

  /** The id of the active run, if any. */
  async activeRunId(): Promise<string | null> {
    const rows: IdRow[] = await this.dataSource.query(
      `SELECT id FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at DESC LIMIT 1`,
    );
    return rows[0]?.id ?? null;
  }

  /** What the active runs read (at most one run is active). */
  activeRunFiles(): Promise<ActiveRunFiles[]> {
    return this.dataSource.query(
      `SELECT params->>'upload' AS upload, params->>'file' AS file FROM runs WHERE status IN ('queued', 'running')`,
    );
  }
}
