import { Injectable } from '@nestjs/common';
import { contentHash } from './content-hash';
import type { IncomingComment, PrivacyChange, StagedComment } from './incoming-ticket';
import { CommentRepository, NewComment } from './repositories/comment.repository';
import { CommentStagingRepository } from './repositories/comment-staging.repository';
import { PeopleRepository } from './repositories/people.repository';
import { ThreadStateUpdate, TicketRepository } from './repositories/ticket.repository';
import { storableText } from './storable-text';
import { authorRoles, storeThreads, threadRows } from './thread-rows';

/**
 * Threads fetched after the export stored their tickets' fields: per ticket (`replaceThreads`) or assembled from
 * staged comment events (`stageComments` … `storeStagedThreads`); and the roles of comment authors synced later.
 */
@Injectable()
export class ThreadStore {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly comments: CommentRepository,
    private readonly staging: CommentStagingRepository,
    private readonly people: PeopleRepository,
  ) {}

  /**
   * Replaces the threads of existing tickets (fetched after the export stored their fields), recomputes their
   * content hash and clears their stale flag. Returns the tickets whose text changed.
   */
  async replaceThreads(
    threads: Map<number, IncomingComment[]>,
  ): Promise<{ textChanged: number[]; commentsStored: number }> {
    const out = { textChanged: [] as number[], commentsStored: 0 };
    if (!threads.size) return out;
    await this.tickets.transaction(async (tx) => {
      const stored = await this.tickets.findThreadHeads([...threads.keys()], tx);
      const roles = await authorRoles(
        this.people,
        [...threads.values()].map((comments) => ({ comments })),
        tx,
      );
      const rows: NewComment[] = [];
      const replaced: number[] = [];
      const updates: ThreadStateUpdate[] = [];
      for (const ticket of stored) {
        const comments = threads.get(ticket.zendeskId)!;
        const hash = contentHash(ticket.subject, comments);
        // A new ticket's hash was taken from its description alone, so the text may be unchanged while its
        // thread was never stored: write the thread whenever the stored one differs.
        if (hash !== ticket.contentHash || ticket.commentCount !== comments.length) {
          replaced.push(ticket.zendeskId);
          if (hash !== ticket.contentHash) out.textChanged.push(ticket.zendeskId);
          updates.push({ id: ticket.zendeskId, content_hash: hash, comment_count: comments.length });
          rows.push(...threadRows(ticket.zendeskId, comments, roles));
        } else updates.push({ id: ticket.zendeskId, content_hash: null, comment_count: null });
      }
      // One statement for the batch (it was one UPDATE per ticket).
      await this.tickets.updateThreadState(updates, tx);
      out.commentsStored = await storeThreads(this.comments, replaced, rows, tx);
    });
    return out;
  }

  /**
   * Stages comment events of the event export (duplicates across pages ignored). The rows are what the
   * thread assembly needs and no more; PostgreSQL cannot hold NUL characters, so they are dropped here.
   */
  async stageComments(rows: StagedComment[]): Promise<void> {
    await this.staging.stage(
      rows.map((r) => ({
        t: r.ticketId,
        c: r.commentId,
        a: r.authorId,
        p: r.public,
        b: storableText(r.body),
        d: r.createdAt,
        k: r.kind ?? 'Comment',
      })),
    );
  }

  async clearStaging(): Promise<void> {
    await this.staging.clear();
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
    await this.tickets.transaction(async (tx) => {
      const byId = new Map((await this.staging.hashThreads(ids, tx)).map((r) => [r.id, r]));
      const updates: ThreadStateUpdate[] = [];
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
      await this.tickets.updateThreadState(updates, tx);
      if (replaced.length) {
        await this.comments.deleteForTickets(replaced, tx);
        out.commentsStored = await this.comments.insertFromStaging(replaced, tx);
      }
      await this.staging.deleteForTickets(ids, tx);
    });
    return out;
  }

  /**
   * Applies `CommentPrivacyChange` events to staged comments, in event order (a comment is staged before any
   * change of its privacy: the change is a later event). The comments API shows the result, so both fetch
   * strategies store the same visibility.
   */
  async applyPrivacyChanges(changes: PrivacyChange[]): Promise<void> {
    await this.staging.applyPrivacyChanges(changes.map((c, i) => ({ t: c.ticketId, c: c.commentId, p: c.public, i })));
  }

  /** Authors of stored comments whose role is unknown because the user was never synced (at most `limit`). */
  unsyncedAuthorIds(limit = 10_000): Promise<number[]> {
    return this.comments.unsyncedAuthorIds(limit);
  }

  /** Resolves `unknown` comment roles from synced users. Returns how many comments got a role. */
  resolveAuthorRoles(): Promise<number> {
    return this.comments.resolveAuthorRoles();
  }
}
