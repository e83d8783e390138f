import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { mapLimit } from '@app/common/async';
import { errorMessage } from '@app/common/errors';
import type { IncomingComment, TicketMerge } from '@app/tickets/incoming-ticket';
import { TicketRepository } from '@app/tickets/repositories/ticket.repository';
import { ThreadStore } from '@app/tickets/thread-store.service';
import { TicketStore } from '@app/tickets/ticket-store.service';
import { CursorState, SyncStateRepository } from './repositories/sync-state.repository';
import type { TicketEventsStream, TicketExportStream, ZendeskClient, ZendeskSideload } from './client';
import { commentText, mergeTargetOf, ZendeskNotFoundError } from './client';
import {
  batches,
  commentRows,
  compactTickets,
  EventExtras,
  nextEventsStart,
  toOrganization,
  toUser,
  ZdTicketLike,
} from './sync-records';
import { ZENDESK_CLIENT } from './zendesk.constants';

const CURSOR_KEY = 'tickets.cursor';
const EVENTS_PER_PAGE = 1000;
/** Below this many threads, per-ticket requests are always the simpler choice. */
const MIN_TICKETS_FOR_EVENTS = 50;
export const DEFAULT_BACKFILL_DAYS = 90;
/** Records of an export page parsed and stored at a time (bounded memory; see JsonDocument). */
const STORE_BATCH = 200;
/** Threads read back from staging, checked and stored per transaction. */
const ASSEMBLY_BATCH = 1000;
/** Comment fetches in flight at once; the client's limiter keeps the account under its plan. */
const COMMENT_CONCURRENCY = 8;
/** Comment authors looked up with users/show_many per sync (100 per request). */
const MAX_AUTHOR_LOOKUPS = 10_000;

export type ThreadStrategy = 'events' | 'per_ticket';

export interface SyncProgress {
  /** Called after every page with the running totals (for run progress and stats). */
  (totals: SyncTotals): Promise<void> | void;
}

export interface SyncTotals {
  ticketsFetched: number;
  ticketsChanged: number;
  ticketsUnchanged: number;
  ticketsDeleted: number;
  /** Tickets Zendesk scrubbed (permanently deleted): text purged, tombstone kept. Also counted as deleted. */
  ticketsScrubbed?: number;
  /** Tickets newly linked to the ticket they were merged into. */
  ticketsMerged?: number;
  /** Comment authors fetched with users/show_many (missing from the side-loaded users). */
  authorsFetched?: number;
  commentsFetched: number;
  usersSynced: number;
  organizationsSynced: number;
  pages: number;
  /** Ticket ids whose text changed: what analysis must look at. */
  changedIds: number[];
  errors: { ref: string; message: string }[];
  /** How threads were fetched this time. */
  threadStrategy: ThreadStrategy | null;
}

/**
 * Ticket sync over the cursor-based Incremental Ticket Export. The cursor is saved after every page, so a
 * crash or restart resumes exactly where it stopped; upserts are idempotent, so a replayed page changes nothing.
 */
@Injectable()
export class TicketSyncService {
  private readonly logger = new Logger(TicketSyncService.name);

  constructor(
    @Inject(ZENDESK_CLIENT) private readonly client: ZendeskClient | null,
    private readonly store: TicketStore,
    private readonly threads: ThreadStore,
    private readonly tickets: TicketRepository,
    private readonly state: SyncStateRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get configured(): boolean {
    return this.client !== null;
  }

  /** The saved export cursor, if a sync ever ran. */
  async savedCursor(): Promise<string | null> {
    return (await this.savedState())?.cursor ?? null;
  }

  private savedState(): Promise<CursorState | undefined> {
    return this.state.get<CursorState>(CURSOR_KEY);
  }

  /**
   * Syncs tickets changed since the saved cursor, or — with `backfillDays`, or on the very first sync — since
   * that many days ago. Two phases: the cursor export stores ticket fields page by page (the cursor saved after
   * each) and flags tickets whose thread may have changed; then the flagged threads are fetched — from the
   * ticket event export in bulk, or per ticket, whichever the rate limits make cheaper. The flags survive a
   * crash, so a resumed sync fetches what the interrupted one did not.
   */
  async sync(
    options: {
      backfillDays?: number;
      /** The run this sync belongs to: a re-executed run (after a crash) continues from its own saved cursor. */
      runId?: string;
      progress?: SyncProgress;
      signal?: AbortSignal;
      /** Forces how threads are fetched (tests, operations); chosen from the rate limits otherwise. */
      threadStrategy?: ThreadStrategy;
    } = {},
  ): Promise<SyncTotals> {
    if (!this.client)
      throw new Error(
        'Zendesk is not configured (set ZENDESK_SUBDOMAIN with ZENDESK_EMAIL/ZENDESK_API_TOKEN or ZENDESK_OAUTH_TOKEN)',
      );
    const client = this.client;
    const totals = emptyTotals();
    const saved = await this.savedState();
    const resuming = options.runId !== undefined && saved?.runId === options.runId;
    const cursor = resuming || options.backfillDays === undefined ? (saved?.cursor ?? null) : null;
    const startTime = cursor
      ? undefined
      : Math.floor(Date.now() / 1000) - (options.backfillDays ?? DEFAULT_BACKFILL_DAYS) * 86_400;
    const seenDeleted = await this.exportTickets(client, cursor, startTime, totals, options);
    await this.fetchStaleThreads(client, totals, options);
    await this.fetchMissingAuthors(client, totals);
    totals.ticketsChanged = new Set(totals.changedIds).size;
    totals.ticketsUnchanged = Math.max(0, totals.ticketsFetched - seenDeleted - totals.ticketsChanged);
    await options.progress?.(totals);
    return totals;
  }

  /**
   * Phase one: the cursor export from `cursor` (else `startTime`), page by page, the cursor saved after each page
   * is stored. Returns how many deleted or scrubbed tickets the export listed.
   */
  private async exportTickets(
    client: ZendeskClient,
    cursor: string | null,
    startTime: number | undefined,
    totals: SyncTotals,
    options: { runId?: string; progress?: SyncProgress; signal?: AbortSignal },
  ): Promise<number> {
    const include: ZendeskSideload[] = ['users', 'organizations', 'comment_count'];
    // The next page is requested while the current one is stored (the export's rate limit, not our writes, sets
    // the pace); it waits as bytes. A page is parsed and stored STORE_BATCH records at a time, so the records die
    // young instead of filling V8's old generation with garbage (see JsonDocument).
    const fetchPage = (at: string | null) =>
      client.exportTicketsCursorStream(at ? { cursor: at, include } : { startTime: startTime!, include });
    let seenDeleted = 0;
    let next: Promise<TicketExportStream> | null = fetchPage(cursor);
    try {
      while (next) {
        options.signal?.throwIfAborted();
        const page: TicketExportStream = await next;
        next = page.endOfStream || !page.afterCursor ? null : fetchPage(page.afterCursor);
        // A prefetch that fails while this page is stored is reported when awaited (or dropped on abort).
        next?.catch(() => undefined);
        totals.pages++;
        seenDeleted += await this.storePage(page, totals);
        page.release();

        // The page is stored (threads flagged): only now does the cursor move past it.
        if (page.afterCursor) {
          cursor = page.afterCursor;
          await this.state.save(CURSOR_KEY, { cursor, runId: options.runId, savedAt: new Date().toISOString() });
        }
        await options.progress?.(totals);
      }
    } finally {
      next = null;
    }
    return seenDeleted;
  }

  /**
   * Stores an export page STORE_BATCH records at a time: organizations, users, then tickets (deleted ones marked,
   * scrubbed ones purged, live ones upserted with their threads flagged). Returns how many were deleted or scrubbed.
   */
  private async storePage(page: TicketExportStream, totals: SyncTotals): Promise<number> {
    for (const batch of batches(page.organizations(), STORE_BATCH)) {
      await this.store.upsertOrganizations(batch.map(toOrganization));
      totals.organizationsSynced += batch.length;
    }
    for (const batch of batches(page.users(), STORE_BATCH)) {
      await this.store.upsertUsers(batch.map(toUser));
      totals.usersSynced += batch.length;
    }
    let seenDeleted = 0;
    for (const batch of batches(page.tickets() as Iterable<ZdTicketLike>, STORE_BATCH)) {
      const { fetched, live, deleted, scrubbed } = compactTickets(batch, this.config.zendesk.brandId);
      totals.ticketsFetched += fetched;
      seenDeleted += deleted.length + scrubbed.length;
      totals.ticketsDeleted += await this.store.markDeleted(deleted);
      const purged = await this.store.scrubTickets(scrubbed);
      totals.ticketsScrubbed = (totals.ticketsScrubbed ?? 0) + purged;
      totals.ticketsDeleted += purged;
      const result = await this.store.upsertTickets(live, { markThreadStale: true });
      totals.changedIds.push(...result.textChanged);
    }
    return seenDeleted;
  }

  /** Fetches every flagged thread: in bulk from the event export when that costs less time, else per ticket. */
  private async fetchStaleThreads(
    client: ZendeskClient,
    totals: SyncTotals,
    options: { progress?: SyncProgress; signal?: AbortSignal; threadStrategy?: ThreadStrategy },
  ): Promise<void> {
    // Ids only (the oldest creation time comes from SQL): one number per flagged ticket is all that is kept.
    // Only a thread whose comment count the export gave can be checked when built from events; the others are
    // fetched per ticket (the count is an optional side-load: nothing may rely on it being there).
    const { count, counted, since } = await this.tickets.staleThreadSummary();
    if (!count) return;
    const strategy =
      !counted || !since
        ? 'per_ticket'
        : (options.threadStrategy ?? (await this.chooseThreadStrategy(client, counted, since)));
    totals.threadStrategy = strategy;
    let perTicket: number[];
    if (strategy === 'events' && since) {
      perTicket = [...(await this.tickets.findStaleIds(false))];
      const fallback = await this.threadsFromEvents(
        client,
        await this.tickets.findStaleIds(true),
        since,
        totals,
        options,
      );
      perTicket = [...perTicket, ...fallback].sort((a, b) => a - b);
    } else perTicket = [...(await this.tickets.findStaleIds())];
    for (let i = 0; i < perTicket.length; i += 200) {
      options.signal?.throwIfAborted();
      const batch = perTicket.slice(i, i + 200);
      const threads = await this.fetchThreads(batch, totals);
      const found = new Map<number, IncomingComment[]>();
      const gone: number[] = [];
      const merges: TicketMerge[] = [];
      for (const [id, thread] of threads) {
        if (thread === 'deleted') gone.push(id);
        else if (thread) {
          found.set(id, thread.comments);
          if (thread.mergedInto !== null) merges.push({ source: id, target: thread.mergedInto });
        }
      }
      totals.ticketsDeleted += await this.store.markDeleted(gone);
      totals.ticketsMerged = (totals.ticketsMerged ?? 0) + (await this.store.linkMerges(merges));
      const result = await this.threads.replaceThreads(found);
      totals.changedIds.push(...result.textChanged);
      await options.progress?.(totals);
    }
  }

  /**
   * Per ticket costs one request per thread at the account's rate; the event export costs one incremental
   * request per ~1,000 events since the oldest flagged ticket was created, at the (much lower) incremental rate.
   * Events are estimated from what is stored: tickets created since then × audits per ticket.
   */
  private async chooseThreadStrategy(
    client: ZendeskClient,
    staleCount: number,
    since: Date,
  ): Promise<'events' | 'per_ticket'> {
    const { requestsPerMinute, incrementalPerMinute } = client.limits;
    const row = await this.tickets.creationStats(since);
    const events = row.tickets * (row.comments * 1.5 + 1);
    const eventPages = Math.ceil(events / EVENTS_PER_PAGE) + 1;
    const eventMinutes = eventPages / incrementalPerMinute;
    const perTicketMinutes = staleCount / requestsPerMinute;
    const choice = staleCount >= MIN_TICKETS_FOR_EVENTS && eventMinutes < perTicketMinutes ? 'events' : 'per_ticket';
    this.logger.log(
      `${staleCount} threads to fetch: ~${eventPages} event pages (${eventMinutes.toFixed(1)} min) vs ${staleCount} requests (${perTicketMinutes.toFixed(1)} min) → ${choice}`,
    );
    return choice;
  }

  /**
   * Stages the comment events of flagged tickets (bounded memory; duplicates across pages ignored), then
   * assembles each thread. Returns the tickets whose thread could not be trusted (count differs from Zendesk's,
   * or a comment was redacted) for a per-ticket fetch.
   *
   * Memory stays flat in the number of tickets: a page waits as bytes while the previous one is staged, its
   * events are parsed and staged STORE_BATCH at a time, the wanted ids are a sorted typed array, and threads are
   * checked, hashed and copied inside PostgreSQL `ASSEMBLY_BATCH` tickets at a time (ThreadStore.storeStagedThreads).
   */
  private async threadsFromEvents(
    client: ZendeskClient,
    wanted: Float64Array,
    since: Date,
    totals: SyncTotals,
    options: { progress?: SyncProgress; signal?: AbortSignal },
  ): Promise<number[]> {
    const redacted = new Set<number>();
    await this.threads.clearStaging();
    const fetchPage = (startTime: number) =>
      client.ticketEventsStream({ startTime, includeComments: true, perPage: EVENTS_PER_PAGE });
    let startTime = Math.floor(since.getTime() / 1000) - 1;
    let next: Promise<TicketEventsStream> | null = fetchPage(startTime);
    try {
      for (let guard = 0; next && guard < 1_000_000; guard++) {
        options.signal?.throwIfAborted();
        const page: TicketEventsStream = await next;
        const nextStart = nextEventsStart(page, startTime);
        next = nextStart === null ? null : fetchPage(nextStart);
        next?.catch(() => undefined);
        for (const batch of batches(page.events(), STORE_BATCH)) {
          const extras: EventExtras = { privacy: [], merges: [] };
          await this.threads.stageComments(commentRows(batch, wanted, redacted, extras));
          // After the batch's comments: a privacy change always follows the comment it changes.
          await this.threads.applyPrivacyChanges(extras.privacy);
          totals.ticketsMerged = (totals.ticketsMerged ?? 0) + (await this.store.linkMerges(extras.merges));
        }
        page.release();
        if (nextStart !== null) startTime = nextStart;
      }
    } finally {
      next = null;
    }
    const fallback: number[] = [];
    for (let i = 0; i < wanted.length; i += ASSEMBLY_BATCH) {
      options.signal?.throwIfAborted();
      const batch = Array.from(wanted.subarray(i, i + ASSEMBLY_BATCH));
      const result = await this.threads.storeStagedThreads(batch, redacted);
      totals.commentsFetched += result.commentsTrusted;
      totals.changedIds.push(...result.textChanged);
      fallback.push(...result.fallback);
      await options.progress?.(totals);
    }
    if (fallback.length)
      this.logger.log(`${fallback.length} threads not complete in the event export: fetching them per ticket`);
    return fallback;
  }

  /** Whole threads for tickets, fetched with bounded concurrency. A failed thread is recorded, not fatal. */
  private async fetchThreads(
    ids: number[],
    totals: SyncTotals,
  ): Promise<Map<number, FetchedThread | 'deleted' | undefined>> {
    const threads = await mapLimit(ids, COMMENT_CONCURRENCY, (id) => this.fetchThread(id, totals));
    return new Map(ids.map((id, i) => [id, threads[i]]));
  }

  /** One ticket's thread; 'deleted' when Zendesk no longer has the ticket, undefined when the fetch failed. */
  private async fetchThread(id: number, totals: SyncTotals): Promise<FetchedThread | 'deleted' | undefined> {
    try {
      const comments = await this.client!.ticketComments(id);
      totals.commentsFetched += comments.length;
      let mergedInto: number | null = null;
      for (const c of comments) mergedInto = mergeTargetOf(c.via) ?? mergedInto;
      return {
        comments: comments.map((c) => ({
          zendeskCommentId: c.id,
          authorId: c.author_id ?? null,
          public: c.public !== false,
          body: commentText(c),
          createdAt: new Date(c.created_at),
          kind: c.type || 'Comment',
        })),
        mergedInto: mergedInto === id ? null : mergedInto,
      };
    } catch (error) {
      if (error instanceof ZendeskNotFoundError) return 'deleted';
      // Keep the ticket's fields; its thread is fetched again by the next sync that sees it change, and the
      // run records why.
      totals.errors.push({ ref: `ticket ${id}`, message: errorMessage(error) });
      this.logger.warn(`comments of ticket ${id}: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /**
   * Comment authors that were not side-loaded with the export (agents who only left a note, CCs, callers) are
   * fetched with users/show_many, 100 per request, so their comments get a role. A lookup failure is recorded.
   */
  private async fetchMissingAuthors(client: ZendeskClient, totals: SyncTotals): Promise<void> {
    const ids = await this.threads.unsyncedAuthorIds(MAX_AUTHOR_LOOKUPS);
    if (!ids.length) return;
    try {
      const users = await client.showManyUsers(ids);
      for (const batch of batches(users, STORE_BATCH)) await this.store.upsertUsers(batch.map(toUser));
      totals.authorsFetched = (totals.authorsFetched ?? 0) + users.length;
      totals.usersSynced += users.length;
      await this.threads.resolveAuthorRoles();
    } catch (error) {
      totals.errors.push({ ref: 'users/show_many', message: errorMessage(error) });
      this.logger.warn(`comment authors: ${errorMessage(error)}`);
    }
  }
}

interface FetchedThread {
  comments: IncomingComment[];
  /** The ticket this one was merged into (from its merge comment), if any. */
  mergedInto: number | null;
}

function emptyTotals(): SyncTotals {
  return {
    ticketsFetched: 0,
    ticketsChanged: 0,
    ticketsUnchanged: 0,
    ticketsDeleted: 0,
    ticketsScrubbed: 0,
    ticketsMerged: 0,
    authorsFetched: 0,
    commentsFetched: 0,
    usersSynced: 0,
    organizationsSynced: 0,
    pages: 0,
    changedIds: [],
    errors: [],
    threadStrategy: null,
  };
}
