import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuthorRole, TicketComment } from './entities/ticket-comment.entity';
import { Ticket, TicketSource } from './entities/ticket.entity';
import { ZendeskOrganization } from './entities/zendesk-organization.entity';
import { ZendeskUser } from './entities/zendesk-user.entity';

export interface IncomingComment {
  zendeskCommentId?: number | null;
  authorId?: number | null;
  /** Known for imports; resolved from synced users otherwise. */
  authorRole?: AuthorRole;
  public: boolean;
  body: string;
  createdAt: Date;
}

export interface IncomingTicket {
  zendeskId: number;
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

  async upsertOrganizations(organizations: Partial<ZendeskOrganization>[]): Promise<void> {
    if (!organizations.length) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ZendeskOrganization)
      .values(organizations.map((o) => ({ ...o, syncedAt: () => 'now()' })) as never)
      .orUpdate(['name', 'domain_names', 'tags', 'created_at', 'updated_at', 'synced_at'], ['id'])
      .execute();
  }

  async upsertUsers(users: Partial<ZendeskUser>[]): Promise<void> {
    if (!users.length) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ZendeskUser)
      .values(users.map((u) => ({ ...u, syncedAt: () => 'now()' })) as never)
      .orUpdate(['name', 'email', 'role', 'organization_id', 'created_at', 'updated_at', 'synced_at'], ['id'])
      .execute();
  }

  /** Upserts tickets (and their threads when given) in one transaction. */
  async upsertTickets(tickets: IncomingTicket[], options: { markThreadStale?: boolean } = {}): Promise<UpsertResult> {
    const result: UpsertResult = { inserted: 0, updated: 0, textChanged: [], staleThreads: [], commentsStored: 0 };
    if (!tickets.length) return result;
    // The last version of a ticket wins when a batch holds it twice (time-based exports repeat tickets).
    const byId = new Map(tickets.map((t) => [t.zendeskId, withoutNul(t)]));
    await this.dataSource.transaction(async (manager) => {
      const ids = [...byId.keys()];
      const existing = new Map(
        (
          await manager.find(Ticket, {
            where: { zendeskId: In(ids) },
            select: ['zendeskId', 'contentHash', 'commentCount'],
          })
        ).map((t) => [t.zendeskId, t]),
      );
      const roles = await this.authorRoles(manager, [...byId.values()]);
      const rows: Partial<Ticket>[] = [];
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
        const { comments: _comments, expectedComments, ...fields } = ticket;
        rows.push({
          ...fields,
          contentHash: hash,
          commentCount,
          threadStale,
          expectedComments: expectedComments ?? null,
          deletedAt: null,
          syncedAt: new Date(),
        });
      }
      for (const chunk of chunks(rows, 500)) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(Ticket)
          .values(chunk as never)
          .orUpdate(
            [
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
            ],
            ['zendesk_id'],
          )
          .execute();
      }
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
      const stored = await manager.find(Ticket, {
        where: { zendeskId: In(ids) },
        select: ['zendeskId', 'subject', 'contentHash', 'commentCount'],
      });
      const roles = await this.authorRoles(
        manager,
        [...threads.values()].map((comments) => ({ comments }) as IncomingTicket),
      );
      const rows: Partial<TicketComment>[] = [];
      const replaced: number[] = [];
      for (const ticket of stored) {
        const comments = threads.get(ticket.zendeskId)!;
        const hash = contentHash(ticket.subject, comments);
        const update: { threadStale: boolean; expectedComments: null; contentHash?: string; commentCount?: number } = {
          threadStale: false,
          expectedComments: null,
        };
        // A new ticket's hash was taken from its description alone, so the text may be unchanged while its
        // thread was never stored: write the thread whenever the stored one differs.
        if (hash !== ticket.contentHash || ticket.commentCount !== comments.length) {
          replaced.push(ticket.zendeskId);
          if (hash !== ticket.contentHash) out.textChanged.push(ticket.zendeskId);
          Object.assign(update, { contentHash: hash, commentCount: comments.length });
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
            }),
          );
        }
        await manager.update(Ticket, { zendeskId: ticket.zendeskId }, update);
      }
      if (replaced.length) await manager.delete(TicketComment, { ticketId: In(replaced) });
      await insertComments(manager, rows);
      out.commentsStored = rows.length;
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

  private async authorRoles(manager: EntityManager, tickets: IncomingTicket[]): Promise<Map<number, AuthorRole>> {
    const ids = new Set<number>();
    for (const t of tickets)
      for (const c of t.comments ?? []) if (c.authorId != null && !c.authorRole) ids.add(c.authorId);
    if (!ids.size) return new Map();
    const users = await manager.find(ZendeskUser, { where: { id: In([...ids]) }, select: ['id', 'role'] });
    return new Map(
      users.map((u) => [u.id, (['end-user', 'agent', 'admin'].includes(u.role) ? u.role : 'unknown') as AuthorRole]),
    );
  }
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
                                    created_at)
       SELECT x.ticket_id, x.zendesk_comment_id, x.position, x.author_id, coalesce(x.author_role, 'unknown'), x.public,
              x.body, x.created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id bigint, zendesk_comment_id bigint, position integer,
              author_id bigint, author_role text, public boolean, body text, created_at timestamptz)`,
      [
        JSON.stringify(
          chunk.map((c) => ({
            ticket_id: c.ticketId,
            zendesk_comment_id: c.zendeskCommentId ?? null,
            position: c.position,
            author_id: c.authorId ?? null,
            author_role: c.authorRole ?? null,
            public: c.public,
            body: withoutNulText(c.body ?? ''),
            created_at: c.createdAt,
          })),
        ),
      ],
    );
}

const NUL = '\u0000';
const withoutNulText = (v: string) => (v.includes(NUL) ? v.replaceAll(NUL, '') : v);

/** PostgreSQL text cannot hold NUL characters (a pasted binary, a broken export): they are dropped, not the ticket. */
function withoutNul(ticket: IncomingTicket): IncomingTicket {
  const clean = withoutNulText;
  return {
    ...ticket,
    subject: clean(ticket.subject ?? ''),
    description: clean(ticket.description ?? ''),
    tags: ticket.tags?.map(clean) ?? ticket.tags,
    comments: ticket.comments?.map((c) => ({ ...c, body: clean(c.body ?? '') })),
  };
}
