import { SqlMigration } from '../sql-migration';

const up = [
  `
      CREATE TABLE import_uploads (
        id uuid PRIMARY KEY,
        file_name varchar(255) NOT NULL,
        size bigint NOT NULL DEFAULT 0,
        chunks integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`,
  `
      CREATE TABLE import_upload_chunks (
        upload_id uuid NOT NULL REFERENCES import_uploads (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (upload_id, seq)
      )`,
];

const down = [`DROP TABLE import_upload_chunks`, `DROP TABLE import_uploads`];

/**
 * Uploaded import files, stored in PostgreSQL as they arrive so whichever process runs the import reads them
 * (the API and the workers share no disk). A file is a row of `import_uploads` and its bytes in ~1 MB chunks of
 * `import_upload_chunks`, in order of `seq`. `completed_at` is set once the whole body arrived; `updated_at`
 * moves with every chunk, so an upload nobody writes to any more (its process died) can be told apart. The run
 * that imports an upload names it in `runs.params.upload`; the upload is deleted when that run ends.
 */
export class ImportUploads1764400000008 extends SqlMigration {
  constructor() {
    super('ImportUploads1764400000008', { up, down });
  }
}
