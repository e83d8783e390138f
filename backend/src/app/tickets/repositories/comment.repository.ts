import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthorRole, TicketComment } from '../entities/ticket-comment.entity';
import { storableText } from '../storable-text';
import { chunks, updatedCount } from './sql-batches';

/** A comment of a thread being stored. */
export interface NewComment {
  ticketId: number;
  zendeskCommentId: number | null;
  /** 0-based order in the thread. */
  position: number;
  authorId: number | null;
  authorRole: AuthorRole;
  public: boolean;
  body: string;
  createdAt: Date;
  kind: string;
}

/** ticket_comments: whole threads are written (replaced), never single comments. */
@Injectable()
export class CommentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async deleteForTickets(ticketIds: number[], tx: EntityManager = this.dataSource.manager): Promise<void> {
    await tx.query(`DELETE FROM ticket_comments WHERE ticket_id = ANY($1)`, [ticketIds]);
  }

  /**
   * Inserts comments as one JSON parameter per 2,000 rows (PostgreSQL expands it): the ORM's multi-row insert built
   * a parameter per column per row and read the ids back, which was most of an import's CPU time.
   */
  async insert(rows: NewComment[], tx: EntityManager = this.dataSource.manager): Promise<void> {
    for (const chunk of chunks(rows, 2000))
      await tx.query(
        `INSERT INTO ticket_comments (ticket_id, zendesk_comment_id, position, author_id, author_role, public, body,
                                      created_at, kind)
         SELECT x.ticket_id, x.zendesk_comment_id, x.position, x.author_id, coalesce(x.author_role, 'unknown'), x.public,
                x.body, x.created_at, coalesce(x.kind, 'Comment')
           FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id bigint, zendesk_comment_id bigint, position integer,
                author_id bigint, author_role text, public boolean, body text, created_at timestamptz, kind text)`,
        [
          JSON.stringify(
            chunk.map((c) => ({
              ticket_id: c.ticketId,
              zendesk_comment_id: c.zendeskCommentId ?? null,
              position: c.position,
              author_id: c.authorId ?? null,
              author_role: c.authorRole ?? null,
              public: c.public,
              body: storableText(c.body ?? ''),
              created_at: c.createdAt,
              kind: c.kind ?? null,
            })),
          ),
        ],
      );
  }

  /**
   * Copies the staged threads of `ticketIds` into ticket_comments, in order (created_at, then Zendesk's id), with
   * the roles of synced authors. Returns how many comments were written.
   */
  async insertFromStaging(ticketIds: number[], tx: EntityManager = this.dataSource.manager): Promise<number> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO ticket_comments (ticket_id, zendesk_comment_id, position, author_id, author_role, public, body,
                                    created_at, kind)
       SELECT s.ticket_id, s.zendesk_comment_id,
              row_number() OVER (PARTITION BY s.ticket_id ORDER BY s.created_at, s.zendesk_comment_id) - 1,
              s.author_id,
              CASE WHEN u.role IN ('end-user', 'agent', 'admin') THEN u.role ELSE 'unknown' END,
              s.public, s.body, s.created_at, s.kind
         FROM comment_staging s LEFT JOIN zendesk_users u ON u.id = s.author_id
        WHERE s.ticket_id = ANY($1)
       RETURNING 1`,
      [ticketIds],
    );
    return inserted.length;
  }

  /** A ticket's thread, in order. */
  findThread(ticketId: number): Promise<TicketComment[]> {
    return this.dataSource.getRepository(TicketComment).find({ where: { ticketId }, order: { position: 'ASC' } });
  }

  /** Authors of stored comments whose role is unknown because the user was never synced (at most `limit`). */
  async unsyncedAuthorIds(limit: number): Promise<number[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT c.author_id AS id FROM ticket_comments c
        WHERE c.author_role = 'unknown' AND c.author_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM zendesk_users u WHERE u.id = c.author_id)
        ORDER BY 1 LIMIT $1`,
      [limit],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Resolves `unknown` comment roles from synced users. Returns how many comments got a role. */
  async resolveAuthorRoles(): Promise<number> {
    return updatedCount(
      await this.dataSource.query(
        `UPDATE ticket_comments c SET author_role = u.role FROM zendesk_users u
          WHERE c.author_id = u.id AND c.author_role = 'unknown' AND u.role IN ('end-user', 'agent', 'admin')`,
      ),
    );
  }
}
