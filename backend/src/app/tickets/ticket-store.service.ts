import { Injectable, Optional } from '@nestjs/common';
import { PlannerStatistics } from '@app/database/table-maintenance';
import type { AuthorRole } from './entities/ticket-comment.entity';
import type { TicketSource } from './entities/ticket.entity';
import type { ZendeskOrganization } from './entities/zendesk-organization.entity';
import type { ZendeskUser } from './entities/zendesk-user.entity';
import { contentHash } from './content-hash';
import type { IncomingTicket, TicketMerge, UpsertResult } from './incoming-ticket';
import { CommentRepository, NewComment } from './repositories/comment.repository';
import { CommentStagingRepository } from './repositories/comment-staging.repository';
import { PeopleRepository, UserWriteRow } from './repositories/people.repository';
import { TicketChangeHooks } from './ticket-change.hooks';
import { TicketScrubHooks } from './ticket-scrub.hooks';
import { TicketRepository, TicketWriteRow, TicketWriteState } from './repositories/ticket.repository';
import { EMAIL_CHARS, NAME_CHARS, SHORT_CHARS, storableText, storableTicket } from './storable-text';
import { authorRoles, storeThreads, threadRows } from './thread-rows';
import { mappedTicketId } from './ticket-ids';

export { contentHash } from './content-hash';
export type {
  IncomingComment,
  IncomingTicket,
  PrivacyChange,
  StagedComment,
  TicketMerge,
  UpsertResult,
} from './incoming-ticket';

/**
 * Idempotent writes of synced or imported tickets, users and organizations. Re-sending the same data changes
 * nothing; a changed thread replaces the stored one (so Zendesk-side redactions are followed). Threads fetched
 * after their ticket are written by `ThreadStore`.
 */
@Injectable()
export class TicketStore {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly comments: CommentRepository,
    private readonly staging: CommentStagingRepository,
    private readonly people: PeopleRepository,
    private readonly scrubHooks: TicketScrubHooks,
    @Optional() private readonly statistics?: PlannerStatistics,
    @Optional() private readonly changes?: TicketChangeHooks,
  ) {}

  /** Upserts organizations; an import (`source` other than zendesk) never changes one the sync wrote. */
  async upsertOrganizations(
    organizations: Partial<ZendeskOrganization>[],
    source: TicketSource = 'zendesk',
  ): Promise<void> {
    if (!organizations.length) return;
    // The last version of an organization wins within a batch.
    const byId = new Map(organizations.map((o) => [o.id, o]));
    await this.people.upsertOrganizations(
      [...byId.values()].map((o) => ({
        id: o.id,
        name: storableText(o.name ?? '', NAME_CHARS),
        domain_names: o.domainNames?.map((d) => storableText(d)) ?? [],
        tags: o.tags?.map((t) => storableText(t)) ?? [],
        organization_fields: o.organizationFields ?? {},
        created_at: o.createdAt ?? null,
        updated_at: o.updatedAt ?? null,
      })),
      source,
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
    const byId = new Map<number | undefined, UserWriteRow>(users.map((u) => [u.id, userRow(u)]));
    if (source !== 'zendesk') {
      for (const row of await this.people.findSyncedUsers([...byId.keys()] as number[])) {
        const mine = byId.get(row.id)!;
        const fields = (['name', 'email', 'role', 'organization_id'] as const).filter(
          (f) => String(mine[f] ?? '') !== String(row[f] ?? ''),
        );
        if (fields.length) kept.push({ id: row.id, fields });
      }
    }
    await this.people.upsertUsers([...byId.values()], source);
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
    for (const r of await this.tickets.findIdsByOriginalId(unique)) ids.set(r.originalId, r.zendeskId);
    const taken = new Set(ids.values());
    let pending = unique.filter((o) => !ids.has(o)).map((o) => ({ originalId: o, attempt: 0 }));
    while (pending.length) {
      const candidates = pending.map((p) => mappedTicketId(p.originalId, p.attempt));
      const occupied = new Set(await this.tickets.findTakenIds(candidates));
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
    // A long import grows the tables this batch looks up: their statistics are kept current as they grow.
    await this.statistics?.refresh();
    // The last version of a ticket wins when a batch holds it twice (time-based exports repeat tickets).
    const byId = new Map(tickets.map((t) => [t.zendeskId, storableTicket(t)]));
    await this.tickets.transaction(async (tx) => {
      const existing = new Map((await this.tickets.findWriteStates([...byId.keys()], tx)).map((s) => [s.zendeskId, s]));
      result.skipped = skipZendeskOwned(byId, existing);
      const roles = await authorRoles(this.people, [...byId.values()], tx);
      const rows: TicketWriteRow[] = [];
      const threads: NewComment[] = [];
      const replaced: number[] = [];
      for (const ticket of byId.values()) {
        const before = existing.get(ticket.zendeskId);
        const plan = planTicket(ticket, before, Boolean(options.markThreadStale), roles);
        if (!before) result.inserted++;
        else result.updated++;
        if (plan.textChanged) result.textChanged.push(ticket.zendeskId);
        if (plan.row.thread_stale) result.staleThreads.push(ticket.zendeskId);
        if (plan.thread) {
          replaced.push(ticket.zendeskId);
          threads.push(...plan.thread);
        }
        rows.push(plan.row);
      }
      await this.tickets.upsert(rows, tx);
      result.commentsStored = await storeThreads(this.comments, replaced, threads, tx);
    });
    return result;
  }

  /** Soft-deletes tickets deleted in Zendesk: hidden from every list, kept for history. Returns how many changed. */
  async markDeleted(ids: number[]): Promise<number> {
    if (!ids.length) return 0;
    return this.removed(await this.tickets.markDeleted(ids));
  }

  /** Links merged tickets to their target (the last merge of a ticket wins). Returns how many links changed. */
  async linkMerges(merges: TicketMerge[]): Promise<number> {
    const bySource = new Map(merges.filter((m) => m.source !== m.target).map((m) => [m.source, m.target]));
    if (!bySource.size) return 0;
    return this.removed(await this.tickets.linkMerges([...bySource].map(([source, target]) => ({ source, target }))));
  }

  /**
   * Tickets Zendesk scrubbed (permanently deleted): the subject, description, tags, fields, comments and the text
   * of their analyses and issues are purged; the row stays as a tombstone (id, dates, `scrubbed_at`). Returns how
   * many were scrubbed now.
   */
  async scrubTickets(ids: number[]): Promise<number> {
    if (!ids.length) return 0;
    const emptyHash = contentHash('', []);
    const scrubbed = await this.tickets.transaction(async (tx) => {
      const n = await this.tickets.scrub(ids, emptyHash, tx);
      await this.comments.deleteForTickets(ids, tx);
      await this.staging.deleteForTickets(ids, tx);
      await this.scrubHooks.run(ids, tx);
      return n;
    });
    return this.removed(scrubbed);
  }

  /** After a committed change that took `count` tickets out of the lists: tells the hooks (cached answers). */
  private async removed(count: number): Promise<number> {
    if (count > 0) await this.changes?.removed();
    return count;
  }
}

function userRow(u: Partial<ZendeskUser>): UserWriteRow {
  return {
    id: u.id,
    name: storableText(u.name ?? '', NAME_CHARS),
    email: u.email == null ? null : storableText(u.email, EMAIL_CHARS),
    role: storableText(u.role ?? 'end-user', SHORT_CHARS),
    organization_id: u.organizationId ?? null,
    created_at: u.createdAt ?? null,
    updated_at: u.updatedAt ?? null,
  };
}

/**
 * Takes out of `byId` the imported tickets Zendesk owns: an import never clears a deletion made in Zendesk (GDPR)
 * nor overwrites a ticket the sync wrote. Returns them with the reason.
 */
function skipZendeskOwned(
  byId: Map<number, IncomingTicket>,
  existing: ReadonlyMap<number, TicketWriteState>,
): UpsertResult['skipped'] {
  const skipped: UpsertResult['skipped'] = [];
  for (const ticket of [...byId.values()]) {
    const before = existing.get(ticket.zendeskId);
    if (ticket.source === 'zendesk' || !before || (before.source !== 'zendesk' && !before.deletedAt)) continue;
    skipped.push({ zendeskId: ticket.zendeskId, reason: before.deletedAt ? 'deleted' : 'synced' });
    byId.delete(ticket.zendeskId);
  }
  return skipped;
}

interface TicketPlan {
  row: TicketWriteRow;
  /** The thread to store in place of the stored one; null keeps the stored thread. */
  thread: NewComment[] | null;
  /** The ticket's text changed (or it is new): it needs analysis. */
  textChanged: boolean;
}

/** What storing `ticket` over `before` (undefined: a new ticket) writes. */
function planTicket(
  ticket: IncomingTicket,
  before: TicketWriteState | undefined,
  markThreadStale: boolean,
  roles: ReadonlyMap<number, AuthorRole>,
): TicketPlan {
  let hash: string;
  let commentCount: number;
  let thread: NewComment[] | null = null;
  if (ticket.comments) {
    hash = contentHash(ticket.subject, ticket.comments);
    commentCount = ticket.comments.length;
    if (!before || before.contentHash !== hash) thread = threadRows(ticket.zendeskId, ticket.comments, roles);
  } else {
    // Fields only: keep the stored thread and its hash; a new ticket without a thread hashes its description.
    hash = before?.contentHash ?? contentHash(ticket.subject, [{ public: true, body: ticket.description }]);
    commentCount = before?.commentCount ?? 0;
  }
  // Fields only from the export: the thread is fetched later (by events or per ticket) if it may have changed.
  const threadStale = ticket.comments
    ? false
    : markThreadStale &&
      (!before ||
        before.threadStale ||
        before.deletedAt !== null ||
        before.updatedAt.getTime() !== ticket.updatedAt.getTime());
  return {
    row: ticketRow(ticket, hash, commentCount, threadStale),
    thread,
    textChanged: ticket.comments ? thread !== null : !before,
  };
}

function ticketRow(ticket: IncomingTicket, hash: string, commentCount: number, threadStale: boolean): TicketWriteRow {
  return {
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
  };
}
