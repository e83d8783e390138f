import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JS_SPACE } from '../content-hash';
import { jsonBatches } from './sql-batches';

/** A staged comment event (short keys: the rows go to PostgreSQL as JSON). */
export interface StagingWriteRow {
  /** ticket id */
  t: number;
  /** Zendesk comment id */
  c: number;
  /** author id */
  a: number | null;
  /** public */
  p: boolean;
  /** body */
  b: string;
  /** created at */
  d: string | Date;
  /** kind */
  k: string;
}

/** A privacy change in event order (`i`): the last change of a comment wins. */
export interface PrivacyChangeRow {
  t: number;
  c: number;
  p: boolean;
  i: number;
}

/** A staged thread next to the stored ticket: counted and hashed in PostgreSQL (see `hashThreads`). */
export interface StagedThreadRow {
  id: number;
  /** Zendesk's comment count at export time. */
  expected: number | null;
  stored_hash: string;
  stored_count: number;
  /** Staged comments. */
  n: number;
  hash: string;
}

const SQL_NORMALISE = (expr: string, pattern: string) => `btrim(regexp_replace(${expr}, ${pattern}, ' ', 'g'), ' ')`;

/** comment_staging: comment events of the event export, until their tickets' threads are assembled. */
@Injectable()
export class CommentStagingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stages rows (duplicates ignored). */
  async stage(rows: StagingWriteRow[]): Promise<void> {
    for (const json of jsonBatches(rows))
      await this.dataSource.query(
        `INSERT INTO comment_staging (ticket_id, zendesk_comment_id, author_id, public, body, created_at, kind)
         SELECT x.t, x.c, x.a, x.p, x.b, x.d, x.k
           FROM jsonb_to_recordset($1::jsonb) AS x(t bigint, c bigint, a bigint, p boolean, b text, d timestamptz,
                                                   k text)
         ON CONFLICT DO NOTHING`,
        [json],
      );
  }

  async clear(): Promise<void> {
    await this.dataSource.query(`DELETE FROM comment_staging`);
  }

  async deleteForTickets(ticketIds: number[], tx: EntityManager = this.dataSource.manager): Promise<void> {
    await tx.query(`DELETE FROM comment_staging WHERE ticket_id = ANY($1)`, [ticketIds]);
  }

  /** Sets the visibility of staged comments, the last change (highest `i`) of each comment winning. */
  async applyPrivacyChanges(rows: PrivacyChangeRow[]): Promise<void> {
    for (const json of jsonBatches(rows))
      await this.dataSource.query(
        `UPDATE comment_staging s SET public = x.p
           FROM (SELECT DISTINCT ON (t, c) t, c, p FROM jsonb_to_recordset($1::jsonb) AS y(t bigint, c bigint,
                 p boolean, i integer) ORDER BY t, c, i DESC) x
          WHERE s.ticket_id = x.t AND s.zendesk_comment_id = x.c AND s.public <> x.p`,
        [json],
      );
  }

  /**
   * The staged threads of `ticketIds` (those with a staged comment), each counted and hashed exactly like
   * `contentHash` (the same whitespace as JavaScript's `\s`, NUL as the separator), next to the stored hash.
   */
  async hashThreads(ticketIds: number[], tx: EntityManager = this.dataSource.manager): Promise<StagedThreadRow[]> {
    const rows: (Omit<StagedThreadRow, 'id'> & { id: string })[] = await tx.query(
      `SELECT t.zendesk_id AS id, t.expected_comments AS expected, t.content_hash AS stored_hash,
              t.comment_count AS stored_count, s.n,
              encode(sha256(convert_to(${SQL_NORMALISE('t.subject', '$2')}, 'UTF8') || s.text), 'hex') AS hash
         FROM tickets t
         JOIN (SELECT ticket_id, count(*)::int AS n,
                      string_agg('\\x00'::bytea || convert_to(CASE WHEN public THEN 'P' ELSE 'N' END ||
                                 ${SQL_NORMALISE('body', '$2')}, 'UTF8'), ''::bytea
                                 ORDER BY created_at, zendesk_comment_id) AS text
                 FROM comment_staging WHERE ticket_id = ANY($1) GROUP BY ticket_id) s ON s.ticket_id = t.zendesk_id`,
      [ticketIds, JS_SPACE],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
