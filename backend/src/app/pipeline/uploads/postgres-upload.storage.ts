import { ConflictException } from '@nestjs/common';
import type { MulterModuleOptions } from '@nestjs/platform-express';
import type { Readable } from 'node:stream';
import type { ImportUploadsService, StoredUpload } from './import-uploads.service';

/** The largest import file accepted (a bigger one is a 413). */
export const IMPORT_MAX_UPLOAD_BYTES = 1024 ** 3;

/** What multer hands a storage engine (multer ships no types; these are the fields used). */
interface IncomingFile {
  originalname?: string;
  stream: Readable & { truncated?: boolean };
}

/**
 * A multer storage engine that streams the upload into PostgreSQL (see ImportUploadsService) instead of the
 * API's disk, so the worker that runs the import can read it from anywhere. Multer calls `_removeFile` for a
 * stored file when the request fails afterwards (size limit, client gone, a later part's error).
 */
export class PostgresUploadStorage {
  constructor(private readonly uploads: ImportUploadsService) {}

  _handleFile(
    _req: unknown,
    file: IncomingFile,
    cb: (error: Error | null, info?: StoredUpload & { originalname: string }) => void,
  ): void {
    this.uploads.receive(file.originalname ?? '', file.stream).then(
      (stored) => cb(null, { ...stored, originalname: stored.fileName }),
      (error: Error) => cb(error),
    );
  }

  _removeFile(_req: unknown, file: Partial<StoredUpload>, cb: (error: Error | null) => void): void {
    if (!file.uploadId) return cb(null);
    this.uploads.remove(file.uploadId).then(
      () => cb(null),
      (error: Error) => cb(error),
    );
  }
}

/** Multer's options for `POST /api/tickets/import`: into PostgreSQL, 1 GiB at most, one file. */
export function importUploadOptions(uploads: ImportUploadsService): MulterModuleOptions {
  return {
    storage: new PostgresUploadStorage(uploads),
    limits: { fileSize: IMPORT_MAX_UPLOAD_BYTES, files: 1 },
    // While a run is active the upload would end in a 409: say so before storing a byte of it (the run's
    // creation still decides a race, and removes the stored upload when it loses).
    fileFilter: (_req, _file, cb) => {
      uploads.activeRunId().then(
        (active) =>
          active
            ? cb(new ConflictException(`A run is already in progress (${active}); try again when it ends`), false)
            : cb(null, true),
        (error: Error) => cb(error, false),
      );
    },
  };
}
