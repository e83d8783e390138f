import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuthorRole, TicketComment } from './entities/ticket-comment.entity';
import { Ticket, TicketSource } from './entities/ticket.entity';
import { ZendeskOrganization } from './entities/zendesk-organization.entity';
import { ZendeskUser } from './entities/zendesk-user.entity';
import { mappedTicketId } from './ticket-ids';

export interface IncomingComment {
  zendeskCommentId?: number | null;
  authorId?: number | null;
  /** Known for imports; resolved from synced users otherwise. */
  authorRole?: AuthorRole;
  public: boolean;
  body: string;
  createdAt: Date;
  /** Zendesk's comment type (`Comment`, `VoiceComment`, ...). Default `Comment`. */
  kind?: string;
}

export interface IncomingTicket {
  zendeskId: number;
  /** An imported file's own id when it is not a Zendesk id; `zendeskId` is then mapped from it. */
  originalId?: string | null;
  subject: string;
  description: string;
  status: string;
  priority?: string | null;
  type?: string | null;
  tags?: string[];
  requesterId?: number | null;
  submitterId?: number | null;
  assigneeId?: number | null;
  organizationId?: number | null;
  groupId?: number | null;
  brandId?: number | null;
  channel?: string | null;
  customFields?: { id: number; value: unknown }[];
  satisfaction?: string | null;
  createdAt: Date;
  updatedAt: Date;
  source: TicketSource;
  /**
   * The whole thread in order. `undefined` keeps the stored comments; with `markThreadStale` the ticket is
   * flagged for a thread fetch when it is new or its `updatedAt` moved.
   */
  comments?: IncomingComment[];
  /** Zendesk's comment count at export time (checks a thread assembled from events). */
  expectedComments?: number | null;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Tickets whose text (subject or any comment) changed: they need analysis. */
  textChanged: number[];
  /** Tickets flagged for a thread fetch. */
  staleThreads: number[];
  commentsStored: number;
  /** Imported tickets not written: Zendesk deleted them, or the sync wrote them (an import never overwrites either). */
  skipped: { zendeskId: number; reason: 'deleted' | 'synced' }[];
}

/** The hash of a ticket's text: subject and every comment with its visibility, whitespace-normalised. */
export function contentHash(subject: string, comments: { public: boolean; body: string }[]): string {
  const hash = createHash('sha256');
  hash.update(normaliseSpace(subject));
  for (const comment of comments) hash.update(`\u0000${comment.public ? 'P' : 'N'}${normaliseSpace(comment.body)}`);
  return hash.digest('hex');
}

const normaliseSpace = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Idempotent writes of synced or imported tickets, users and organizations. Re-sending the same data changes
 * nothing; a changed thread replaces the stored one (so Zendesk-side redactions are followed).
 */
@Injectable()
export class TicketStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Upserts organizations; an import (`source` other than zendesk) never changes one the sync wrote. */
  async upsertOrganizations(
    organizations: Partial<ZendeskOrganization>[],
    source: TicketSource = 'zendesk',
  ): Promise<void> {
    if (!organizations.length) return;
    // One JSON parameter (PostgreSQL expands it); the last version of an organization wins within a batch.
    const byId = new Map(organizations.map((o) => [o.id, o]));
    for (const json of jsonBatches(
      [...byId.values()].map((o) => ({
        id: o.id,
        name: storableText(o.name ?? '', NAME_CHARS),
        domain_names: o.domainNames?.map((d) => storableText(d)) ?? [],
        tags: o.tags?.map((t) => storableText(t)) ?? [],
        organization_fields: o.organizationFields ?? {},
        created_at: o.createdAt ?? null,
        updated_at: o.updatedAt ?? null,
      })),
    ))
      await this.dataSource.query(
        `INSERT INTO zendesk_organizations (id, name, domain_names, tags, organization_fields, created_at, updated_at,
                                           synced_at, source)
       SELECT x.id, x.name, coalesce(x.domain_names, '{}'), coalesce(x.tags, '{}'),
              coalesce(x.organization_fields, '{}'::jsonb), x.created_at, x.updated_at, now(), $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, name text, domain_names text[], tags text[],
              organization_fields jsonb, created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, domain_names = EXCLUDED.domain_names,
              tags = EXCLUDED.tags, organization_fields = EXCLUDED.organization_fields,
              created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, synced_at = EXCLUDED.synced_at,
              source = EXCLUDED.source
        WHERE ${OWNED_BY('zendesk_organizations')}`,
        [json, source],
      );
  }

  /**
   * Upserts users. An import (`source` other than zendesk) never changes a user the sync wrote: those it would have
   * changed come back in `kept`, with the fields the file disagreed on.
   */
  async upsertUsers(
    users: Partial<ZendeskUser>[],
    source: TicketSource = 'zendesk',
  ): Promise<{ kept: { id: number; fields: string[] }[] }> {
    const kept: { id: number; fields: string[] }[] = [];
    if (!users.length) return { kept };
    const byId = new Map(
      users.map((u) => [
        u.id,
        {
          id: u.id,
          name: storableText(u.name ?? '', NAME_CHARS),
          email: u.email == null ? null : storableText(u.email, EMAIL_CHARS),
          role: storableText(u.role ?? 'end-user', SHORT_CHARS),
          organization_id: u.organizationId ?? null,
          created_at: u.createdAt ?? null,
          updated_at: u.updatedAt ?? null,
        },
      ]),
    );
    if (source !== 'zendesk') {
      const synced: { id: string; name: string; email: string | null; role: string; organization_id: string | null }[] =
        await this.dataSource.query(
          `SELECT id, name, email, role, organization_id FROM zendesk_users WHERE id = ANY($1) AND source = 'zendesk'`,
          [[...byId.keys()]],
        );
      for (const row of synced) {
        const mine = byId.get(Number(row.id))!;
        const fields = (['name', 'email', 'role', 'organization_id'] as const).filter(
          (f) => String(mine[f] ?? '') !== String(row[f] ?? ''),
        );
        if (fields.length) kept.push({ id: Number(row.id), fields });
      }
    }
    for (const json of jsonBatches([...byId.values()]))
      await this.dataSource.query(
        `INSERT INTO zendesk_users (id, name, email, role, organization_id, created_at, updated_at, synced_at, source)
       SELECT x.id, x.name, x.email, x.role, x.organization_id, x.created_at, x.updated_at, now(), $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, name text, email text, role text, organization_id bigint,
              created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role,
              organization_id = EXCLUDED.organization_id, created_at = EXCLUDED.created_at,
              updated_at = EXCLUDED.updated_at, synced_at = EXCLUDED.synced_at, source = EXCLUDED.source
        WHERE ${OWNED_BY('zendesk_users')}`,
        [json, source],
      );
    return { kept };
  }

  /**
   * The internal ids of imported tickets known by an original (non-Zendesk) id: the stored one when the id was
   * imported before (so a re-import changes nothing), else its hash (`mappedTicketId`), probing the next attempt
   * while another ticket (or another id of this call) holds it. Deterministic for a given database and order.
   */
  async mapOriginalIds(originalIds: readonly string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const unique = [...new Set(originalIds)];
    if (!unique.length) return ids;
    const stored: { original_id: string; zendesk_id: string }[] = await this.dataSource.query(
      `SELECT original_id, zendesk_id FROM tickets WHERE original_id = ANY($1)`,
      [unique],
    );
    for (const r of stored) ids.set(r.original_id, Number(r.zendesk_id));
    const taken = new Set(ids.values());
    let pending = unique.filter((o) => !ids.has(o)).map((o) => ({ originalId: o, attempt: 0 }));
    while (pending.length) {
      const candidates = pending.map((p) => mappedTicketId(p.originalId, p.attempt));
      const occupied = new Set(
        (
          (await this.dataSource.query(`SELECT zendesk_id FROM tickets WHERE zendesk_id = ANY($1)`, [candidates])) as {
            zendesk_id: string;
          }[]
        ).map((r) => Number(r.zendesk_id)),
      );
      const next: typeof pending = [];
      pending.forEach((p, i) => {
        const id = candidates[i]!;
        if (occupied.has(id) || taken.has(id)) next.push({ originalId: p.originalId, attempt: p.attempt + 1 });
        else {
          ids.set(p.originalId, id);
          taken.add(id);
        }
      });
      pending = next;
    }
    return ids;
  }

  /** Upserts tickets (and their threads when given) in one transaction. */
  async upsertTickets(tickets: IncomingTicket[], options: { markThreadStale?: boolean } = {}): Promise<UpsertResult> {
    const result: UpsertResult = {
      inserted: 0,
      updated: 0,
      textChanged: [],
      staleThreads: [],
      commentsStored: 0,
      skipped: [],
    };
    if (!tickets.length) return result;
    // The last version of a ticket wins when a batch holds it twice (time-based exports repeat tickets).
    const byId = new Map(tickets.map((t) => [t.zendeskId, storableTicket(t)]));
    await this.dataSource.transaction(async (manager) => {
      const ids = [...byId.keys()];
      // Raw rows, not entities: a page of 1,000 tickets is read on every export page.
      const existing = new Map<number, StoredTicketState>(
        (
          await manager.query(
            `SELECT zendesk_id, content_hash, comment_count, thread_stale, deleted_at, updated_at, source
               FROM tickets WHERE zendesk_id = ANY($1)`,
            [ids],
          )
        ).map((r: StoredTicketRow) => [
          Number(r.zendesk_id),
          {
            contentHash: r.content_hash,
            commentCount: r.comment_count,
            threadStale: r.thread_stale,
            deletedAt: r.deleted_at,
            updatedAt: new Date(r.updated_at),
            source: r.source,
          },
        ]),
      );
      // An import never clears a deletion made in Zendesk (GDPR) nor overwrites a ticket the sync wrote.
      for (const ticket of [...byId.values()]) {
        const before = existing.get(ticket.zendeskId);
        if (ticket.source === 'zendesk' || !before || (before.source !== 'zendesk' && !before.deletedAt)) continue;
        result.skipped.push({ zendeskId: ticket.zendeskId, reason: before.deletedAt ? 'deleted' : 'synced' });
        byId.delete(ticket.zendeskId);
      }
      const roles = await this.authorRoles(manager, [...byId.values()]);
      const rows: Record<string, unknown>[] = [];
      const threads: Partial<TicketComment>[] = [];
      const replaced: number[] = [];
      for (const ticket of byId.values()) {
        const before = existing.get(ticket.zendeskId);
        let hash: string;
        let commentCount: number;
        if (ticket.comments) {
          hash = contentHash(ticket.subject, ticket.comments);
          commentCount = ticket.comments.length;
          if (!before || before.contentHash !== hash) {
            replaced.push(ticket.zendeskId);
            ticket.comments.forEach((c, position) =>
              threads.push({
                ticketId: ticket.zendeskId,
                zendeskCommentId: c.zendeskCommentId ?? null,
                position,
                authorId: c.authorId ?? null,
                authorRole: c.authorRole ?? (c.authorId != null ? roles.get(c.authorId) : undefined) ?? 'unknown',
                public: c.public,
                body: c.body,
                createdAt: c.createdAt,
                kind: c.kind ?? 'Comment',
              }),
            );
          }
        } else {
          // Fields only: keep the stored thread and its hash; a new ticket without a thread hashes its description.
          hash = before?.contentHash ?? contentHash(ticket.subject, [{ public: true, body: ticket.description }]);
          commentCount = before?.commentCount ?? 0;
        }
        // Fields only from the export: the thread is fetched later (by events or per ticket) if it may have changed.
        const threadStale = ticket.comments
          ? false
          : Boolean(options.markThreadStale) &&
            (!before ||
              before.threadStale ||
              before.deletedAt !== null ||
              before.updatedAt.getTime() !== ticket.updatedAt.getTime());
        if (!before) result.inserted++;
        else result.updated++;
        if (ticket.comments && (!before || before.contentHash !== hash)) result.textChanged.push(ticket.zendeskId);
        if (!ticket.comments && !before) result.textChanged.push(ticket.zendeskId);
        if (threadStale) result.staleThreads.push(ticket.zendeskId);
        rows.push({
          zendesk_id: ticket.zendeskId,
          original_id: ticket.originalId ?? null,
          subject: ticket.subject,
          description: ticket.description,
          status: ticket.status,
          priority: ticket.priority ?? null,
          type: ticket.type ?? null,
          tags: ticket.tags ?? [],
          requester_id: ticket.requesterId ?? null,
          submitter_id: ticket.submitterId ?? null,
          assignee_id: ticket.assigneeId ?? null,
          organization_id: ticket.organizationId ?? null,
          group_id: ticket.groupId ?? null,
          brand_id: ticket.brandId ?? null,
          channel: ticket.channel ?? null,
          custom_fields: ticket.customFields ?? [],
          satisfaction: ticket.satisfaction ?? null,
          created_at: ticket.createdAt,
          updated_at: ticket.updatedAt,
          source: ticket.source,
          content_hash: hash,
          comment_count: commentCount,
          thread_stale: threadStale,
          expected_comments: ticket.expectedComments ?? null,
        });
      }
      // One JSON parameter per batch: the ORM's multi-row insert built a parameter per column per row (26 per
      // ticket) and an entity merge of RETURNING columns, which was most of an export page's CPU time and garbage.
      for (const json of jsonBatches(rows)) await manager.query(UPSERT_TICKETS_SQL, [json]);
      if (replaced.length) await manager.delete(TicketComment, { ticketId: In(replaced) });
      await insertComments(manager, threads);
      result.commentsStored = threads.length;
    });
    return result;
  }

  /**
   * Replaces the threads of existing tickets (fetched after the export stored their fields), recomputes their
   * content hash and clears their stale flag. Returns the tickets whose text changed.
   */
  async replaceThreads(
    threads: Map<number, IncomingComment[]>,
  ): Promise<{ textChanged: number[]; commentsStored: number }> {
    const out = { textChanged: [] as number[], commentsStored: 0 };
    if (!threads.size) return out;
    await this.dataSource.transaction(async (manager) => {
      const ids = [...threads.keys()];
      const stored: { zendeskId: number; subject: string; contentHash: string; commentCount: number }[] = (
        await manager.query(
          `SELECT zendesk_id, subject, content_hash, comment_count FROM tickets WHERE zendesk_id = ANY($1)`,
          [ids],
        )
      ).map((r: { zendesk_id: string; subject: string; content_hash: string; comment_count: number }) => ({
        zendeskId: Number(r.zendesk_id),
        subject: r.subject,
        contentHash: r.content_hash,
        commentCount: r.comment_count,
      }));
      const roles = await this.authorRoles(
        manager,
        [...threads.values()].map((comments) => ({ comments }) as IncomingTicket),
      );
      const rows: Partial<TicketComment>[] = [];
      const replaced: number[] = [];
      const updates: ThreadUpdate[] = [];
      for (const ticket of stored) {
        const comments = threads.get(ticket.zendeskId)!;
        const hash = contentHash(ticket.subject, comments);
        // A new ticket's hash was taken from its description alone, so the text may be unchanged while its
        // thread was never stored: write the thread whenever the stored one differs.
        if (hash !== ticket.contentHash || ticket.commentCount !== comments.length) {
          replaced.push(ticket.zendeskId);
          if (hash !== ticket.contentHash) out.textChanged.push(ticket.zendeskId);
          updates.push({ id: ticket.zendeskId, content_hash: hash, comment_count: comments.length });
          comments.forEach((c, position) =>
            rows.push({
              ticketId: ticket.zendeskId,
              zendeskCommentId: c.zendeskCommentId ?? null,
              position,
              authorId: c.authorId ?? null,
              authorRole: c.authorRole ?? (c.authorId != null ? roles.get(c.authorId) : undefined) ?? 'unknown',
              public: c.public,
              body: c.body,
              createdAt: c.createdAt,
              kind: c.kind ?? 'Comment',
            }),
          );
        } else updates.push({ id: ticket.zendeskId, content_hash: null, comment_count: null });
      }
      // One statement for the batch (it was one UPDATE per ticket).
      await updateThreadState(manager, updates);
      if (replaced.length) await manager.delete(TicketComment, { ticketId: In(replaced) });
      await insertComments(manager, rows);
      out.commentsStored = rows.length;
    });
    return out;
  }

  /**
   * Stages comment events of the event export (duplicates across pages ignored). The rows are what the
   * thread assembly needs and no more; PostgreSQL cannot hold NUL characters, so they are dropped here.
   */
  async stageComments(rows: StagedComment[]): Promise<void> {
    const staged = rows.map((r) => ({
      t: r.ticketId,
      c: r.commentId,
      a: r.authorId,
      p: r.public,
      b: storableText(r.body),
      d: r.createdAt,
      k: r.kind ?? 'Comment',
    }));
    for (const json of jsonBatches(staged))
      await this.dataSource.query(
        `INSERT INTO comment_staging (ticket_id, zendesk_comment_id, author_id, public, body, created_at, kind)
         SELECT x.t, x.c, x.a, x.p, x.b, x.d, x.k
           FROM jsonb_to_recordset($1::jsonb) AS x(t bigint, c bigint, a bigint, p boolean, b text, d timestamptz,
                                                   k text)
         ON CONFLICT DO NOTHING`,
        [json],
      );
  }

  async clearStaging(): Promise<void> {
    await this.dataSource.query(`DELETE FROM comment_staging`);
  }

  /**
   * Assembles the staged threads of `ids` and stores those that can be trusted: staged, not in `untrusted`, and
   * as many comments as Zendesk counted at export time. Their staged rows are removed. Returns the tickets that
   * must be fetched another way (`fallback`).
   *
   * The threads never leave PostgreSQL: it counts them, hashes them exactly like `contentHash` (the same
   * whitespace as JavaScript's `\s`, NUL as the separator) and copies the comments. Reading every staged body
   * back into Node only to write it again was most of the sync's garbage and a third of its time.
   */
  async storeStagedThreads(
    ids: number[],
    untrusted: ReadonlySet<number>,
  ): Promise<{ textChanged: number[]; commentsStored: number; commentsTrusted: number; fallback: number[] }> {
    const out = { textChanged: [] as number[], commentsStored: 0, commentsTrusted: 0, fallback: [] as number[] };
    if (!ids.length) return out;
    await this.dataSource.transaction(async (manager) => {
      const staged: StagedThreadRow[] = await manager.query(
        `SELECT t.zendesk_id AS id, t.expected_comments AS expected, t.content_hash AS stored_hash,
                t.comment_count AS stored_count, s.n,
                encode(sha256(convert_to(${SQL_NORMALISE('t.subject', '$2')}, 'UTF8') || s.text), 'hex') AS hash
           FROM tickets t
           JOIN (SELECT ticket_id, count(*)::int AS n,
                        string_agg('\\x00'::bytea || convert_to(CASE WHEN public THEN 'P' ELSE 'N' END ||
                                   ${SQL_NORMALISE('body', '$2')}, 'UTF8'), ''::bytea
                                   ORDER BY created_at, zendesk_comment_id) AS text
                   FROM comment_staging WHERE ticket_id = ANY($1) GROUP BY ticket_id) s ON s.ticket_id = t.zendesk_id`,
        [ids, JS_SPACE],
      );
      const byId = new Map(staged.map((r) => [Number(r.id), r]));
      const updates: ThreadUpdate[] = [];
      const replaced: number[] = [];
      for (const id of ids) {
        const row = byId.get(id);
        if (!row || untrusted.has(id) || (row.expected != null && row.expected !== row.n)) {
          out.fallback.push(id);
          continue;
        }
        out.commentsTrusted += row.n;
        // As in replaceThreads: the thread is written whenever the stored one differs.
        if (row.hash !== row.stored_hash || row.stored_count !== row.n) {
          replaced.push(id);
          if (row.hash !== row.stored_hash) out.textChanged.push(id);
          updates.push({ id, content_hash: row.hash, comment_count: row.n });
        } else updates.push({ id, content_hash: null, comment_count: null });
      }
      await updateThreadState(manager, updates);
      if (replaced.length) {
        await manager.query(`DELETE FROM ticket_comments WHERE ticket_id = ANY($1)`, [replaced]);
        const inserted: unknown[] = await manager.query(
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
          [replaced],
        );
        out.commentsStored = inserted.length;
      }
      await manager.query(`DELETE FROM comment_staging WHERE ticket_id = ANY($1)`, [ids]);
    });
    return out;
  }

  /** Soft-deletes tickets deleted in Zendesk: hidden from every list, kept for history. Returns how many changed. */
  async markDeleted(ids: number[]): Promise<number> {
    if (!ids.length) return 0;
    const res = await this.dataSource
      .createQueryBuilder()
      .update(Ticket)
      .set({ deletedAt: () => 'now()', status: 'deleted' })
      .where({ zendeskId: In(ids) })
      .andWhere('deleted_at IS NULL')
      .execute();
    return res.affected ?? 0;
  }

  /**
   * Applies `CommentPrivacyChange` events to staged comments, in event order (a comment is staged before any
   * change of its privacy: the change is a later event). The comments API shows the result, so both fetch
   * strategies store the same visibility.
   */
  async applyPrivacyChanges(changes: PrivacyChange[]): Promise<void> {
    for (const json of jsonBatches(changes.map((c, i) => ({ t: c.ticketId, c: c.commentId, p: c.public, i }))))
      await this.dataSource.query(
        `UPDATE comment_staging s SET public = x.p
           FROM (SELECT DISTINCT ON (t, c) t, c, p FROM jsonb_to_recordset($1::jsonb) AS y(t bigint, c bigint,
                 p boolean, i integer) ORDER BY t, c, i DESC) x
          WHERE s.ticket_id = x.t AND s.zendesk_comment_id = x.c AND s.public <> x.p`,
        [json],
      );
  }

  /** Links merged tickets to their target (the last merge of a ticket wins). Returns how many links changed. */
  async linkMerges(merges: TicketMerge[]): Promise<number> {
    const bySource = new Map(merges.filter((m) => m.source !== m.target).map((m) => [m.source, m.target]));
    let changed = 0;
    for (const json of jsonBatches([...bySource].map(([source, target]) => ({ source, target })))) {
      const result: unknown = await this.dataSource.query(
        `UPDATE tickets t SET merged_into_id = x.target
           FROM jsonb_to_recordset($1::jsonb) AS x(source bigint, target bigint)
          WHERE t.zendesk_id = x.source AND t.merged_into_id IS DISTINCT FROM x.target`,
        [json],
      );
      changed += updatedCount(result);
    }
    return changed;
  }

  /**
   * Tickets Zendesk scrubbed (permanently deleted): the subject, description, tags, fields, comments and the text
   * of their analyses and issues are purged; the row stays as a tombstone (id, dates, `scrubbed_at`). Returns how
   * many were scrubbed now.
   */
  async scrubTickets(ids: number[]): Promise<number> {
    if (!ids.length) return 0;
    const emptyHash = contentHash('', []);
    return this.dataSource.transaction(async (manager) => {
      const result: unknown = await manager.query(
        `UPDATE tickets SET subject = '', description = '', tags = '{}', custom_fields = '[]'::jsonb,
                satisfaction = NULL, status = 'deleted', content_hash = $2, comment_count = 0, thread_stale = false,
                expected_comments = NULL, deleted_at = coalesce(deleted_at, now()), scrubbed_at = now()
          WHERE zendesk_id = ANY($1) AND scrubbed_at IS NULL`,
        [ids, emptyHash],
      );
      await manager.query(`DELETE FROM ticket_comments WHERE ticket_id = ANY($1)`, [ids]);
      await manager.query(`DELETE FROM comment_staging WHERE ticket_id = ANY($1)`, [ids]);
      await manager.query(`UPDATE ticket_analyses SET reason = 'scrubbed' WHERE ticket_id = ANY($1)`, [ids]);
      await manager.query(
        `UPDATE issues SET summary = 'scrubbed', detail = '', quote = NULL, quote_verified = false,
                business_impact = NULL, user_segment = NULL, hidden = true, cluster_id = NULL
          WHERE ticket_id = ANY($1)`,
        [ids],
      );
      return updatedCount(result);
    });
  }

  /** Authors of stored comments whose role is unknown because the user was never synced (at most `limit`). */
  async unsyncedAuthorIds(limit = 10_000): Promise<number[]> {
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

  /**
   * Roles of the comment authors: from the file for people only an import knows, from Zendesk for synced users
   * (whatever the file says: an agent's internal note must never read as customer text).
   */
  private async authorRoles(manager: EntityManager, tickets: IncomingTicket[]): Promise<Map<number, AuthorRole>> {
    const ids = new Set<number>();
    for (const t of tickets) for (const c of t.comments ?? []) if (c.authorId != null) ids.add(c.authorId);
    if (!ids.size) return new Map();
    const users: { id: string; role: string; source: string }[] = await manager.query(
      `SELECT id, role, source FROM zendesk_users WHERE id = ANY($1)`,
      [[...ids]],
    );
    const roles = new Map<number, AuthorRole>();
    const synced = new Set<number>();
    for (const u of users) {
      roles.set(Number(u.id), (['end-user', 'agent', 'admin'].includes(u.role) ? u.role : 'unknown') as AuthorRole);
      if (u.source === 'zendesk') synced.add(Number(u.id));
    }
    for (const t of tickets)
      for (const c of t.comments ?? [])
        if (c.authorId != null && c.authorRole && synced.has(c.authorId)) c.authorRole = roles.get(c.authorId);
    return roles;
  }
}

/** Rows changed by an UPDATE or DELETE: TypeORM answers `[rows, affected]` for them on PostgreSQL. */
function updatedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}

interface StoredTicketRow {
  source: TicketSource;
  zendesk_id: string;
  content_hash: string;
  comment_count: number;
  thread_stale: boolean;
  deleted_at: Date | null;
  updated_at: Date;
}

interface StoredTicketState {
  source: TicketSource;
  contentHash: string;
  commentCount: number;
  threadStale: boolean;
  deletedAt: Date | null;
  updatedAt: Date;
}

/** A comment event of the event export, staged until its ticket's thread is assembled. */
export interface StagedComment {
  ticketId: number;
  commentId: number;
  authorId: number | null;
  public: boolean;
  body: string;
  createdAt: string | Date;
  /** Zendesk's comment type (`Comment`, `VoiceComment`, ...). Default `Comment`. */
  kind?: string;
}

/** A `CommentPrivacyChange` of the event export: the comment became internal (`public: false`) or public again. */
export interface PrivacyChange {
  ticketId: number;
  commentId: number;
  public: boolean;
}

/** A ticket merged into another in Zendesk. */
export interface TicketMerge {
  source: number;
  target: number;
}

interface ThreadUpdate {
  id: number;
  /** null: the stored thread is kept (only the flags are cleared). */
  content_hash: string | null;
  comment_count: number | null;
}

const TICKET_UPDATE_COLUMNS = [
  'original_id',
  'subject',
  'description',
  'status',
  'priority',
  'type',
  'tags',
  'requester_id',
  'submitter_id',
  'assignee_id',
  'organization_id',
  'group_id',
  'brand_id',
  'channel',
  'custom_fields',
  'satisfaction',
  'created_at',
  'updated_at',
  'source',
  'content_hash',
  'comment_count',
  'thread_stale',
  'expected_comments',
  'deleted_at',
  'synced_at',
];

const UPSERT_TICKETS_SQL = `
  INSERT INTO tickets (zendesk_id, original_id, subject, description, status, priority, type, tags, requester_id, submitter_id,
                       assignee_id, organization_id, group_id, brand_id, channel, custom_fields, satisfaction,
                       created_at, updated_at, source, content_hash, comment_count, thread_stale, expected_comments,
                       deleted_at, synced_at)
  SELECT x.zendesk_id, x.original_id, x.subject, x.description, x.status, x.priority, x.type, coalesce(x.tags, '{}'),
         x.requester_id, x.submitter_id, x.assignee_id, x.organization_id, x.group_id, x.brand_id, x.channel,
         coalesce(x.custom_fields, '[]'::jsonb), x.satisfaction, x.created_at, x.updated_at, x.source,
         x.content_hash, x.comment_count, x.thread_stale, x.expected_comments, NULL, now()
    FROM jsonb_to_recordset($1::jsonb) AS x(zendesk_id bigint, original_id text, subject text, description text, status text,
         priority text, type text, tags text[], requester_id bigint, submitter_id bigint, assignee_id bigint,
         organization_id bigint, group_id bigint, brand_id bigint, channel text, custom_fields jsonb,
         satisfaction text, created_at timestamptz, updated_at timestamptz, source text, content_hash text,
         comment_count integer, thread_stale boolean, expected_comments integer)
  ON CONFLICT (zendesk_id) DO UPDATE SET ${TICKET_UPDATE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
   WHERE EXCLUDED.source = 'zendesk' OR (tickets.source <> 'zendesk' AND tickets.deleted_at IS NULL)`;

/** The ON CONFLICT guard of people: the sync writes any row, an import ($2) only rows no sync wrote. */
const OWNED_BY = (table: string) => `$2 = 'zendesk' OR ${table}.source <> 'zendesk'`;

/** Clears the stale flags of threads just fetched; a replaced thread also gets its new hash and count. */
async function updateThreadState(manager: EntityManager, updates: ThreadUpdate[]): Promise<void> {
  for (const json of jsonBatches(updates))
    await manager.query(
      `UPDATE tickets t
          SET thread_stale = false, expected_comments = NULL,
              content_hash = coalesce(x.content_hash, t.content_hash),
              comment_count = coalesce(x.comment_count, t.comment_count)
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, content_hash text, comment_count integer)
        WHERE t.zendesk_id = x.id`,
      [json],
    );
}

interface StagedThreadRow {
  id: string;
  expected: number | null;
  stored_hash: string;
  stored_count: number;
  n: number;
  hash: string;
}

/**
 * JavaScript's `\s` (WhiteSpace and LineTerminator) as a PostgreSQL regular expression: `normaliseSpace` in SQL is
 * regexp_replace(x, JS_SPACE, ' ', 'g') then btrim(x, ' ') (every space left is a plain one).
 */
export const JS_SPACE =
  '[\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+';
const SQL_NORMALISE = (expr: string, pattern: string) => `btrim(regexp_replace(${expr}, ${pattern}, ' ', 'g'), ' ')`;

/** Characters of JSON per statement: below V8's large-object size (128 KB) even for two-byte strings. */
const JSON_BATCH_CHARS = 48_000;

/**
 * Rows as JSON arrays for jsonb_to_recordset (one parameter, not one per column per row), cut so that no string is
 * a large object. A multi-megabyte parameter lives in V8's large-object space, survives the scavenges made while
 * its statement runs and is only freed by a full collection: per export page, that garbage (and the heap growth
 * it causes) was most of the sync's peak memory.
 */
export function jsonBatches(rows: readonly unknown[], maxChars = JSON_BATCH_CHARS): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length && size + json.length + 1 > maxChars) {
      out.push(`[${parts.join(',')}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length) out.push(`[${parts.join(',')}]`);
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts comments as one JSON parameter per 2,000 rows (PostgreSQL expands it): the ORM's multi-row insert built
 * a parameter per column per row and read the ids back, which was most of an import's CPU time.
 */
async function insertComments(manager: EntityManager, rows: Partial<TicketComment>[]): Promise<void> {
  for (const chunk of chunks(rows, 2000))
    await manager.query(
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

const NUL = '\u0000';
/**
 * Text PostgreSQL can store: NULs dropped, and a lone UTF-16 surrogate (half an emoji cut by a truncating client,
 * `"\ud83d"` in a JSON export) replaced with U+FFFD — jsonb parameters and text columns refuse both, which would
 * fail the whole batch and the run on every retry.
 */
const storableText = (v: string, maxChars = Infinity): string => {
  const stripped = v.includes(NUL) ? v.replaceAll(NUL, '') : v;
  const text = stripped.length > maxChars ? stripped.slice(0, maxChars) : stripped;
  return text.isWellFormed() ? text : text.toWellFormed();
};

/** Lengths of the varchar columns (a longer value would fail the whole batch): status, priority, type, role… */
const SHORT_CHARS = 16;
const CHANNEL_CHARS = 64;
const NAME_CHARS = 500;
const EMAIL_CHARS = 320;

const storableShort = (v: string | null | undefined, maxChars: number): string | null =>
  v == null ? null : storableText(v, maxChars);

declare global {
  /** ES2024 string methods: Node 20 has them, the project's TypeScript lib does not list them yet. */
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * A ticket PostgreSQL can store (see `storableText`): bad characters are dropped or replaced and short fields cut
 * to their column, not the ticket rejected.
 */
function storableTicket(ticket: IncomingTicket): IncomingTicket {
  const clean = (v: string) => storableText(v);
  return {
    ...ticket,
    subject: clean(ticket.subject ?? ''),
    description: clean(ticket.description ?? ''),
    status: storableText(ticket.status ?? '', SHORT_CHARS),
    priority: storableShort(ticket.priority, SHORT_CHARS),
    type: storableShort(ticket.type, SHORT_CHARS),
    channel: storableShort(ticket.channel, CHANNEL_CHARS),
    satisfaction: storableShort(ticket.satisfaction, SHORT_CHARS),
    tags: ticket.tags?.map(clean) ?? ticket.tags,
    comments: ticket.comments?.map((c) => ({ ...c, body: clean(c.body ?? '') })),
  };
}
