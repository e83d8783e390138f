import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ZendeskClient } from './client';
import { ZendeskNotFoundError } from './client';
import { SyncState } from './entities/sync-state.entity';
import { IncomingComment, IncomingTicket, TicketStore } from './ticket-store.service';
import { ZENDESK_CLIENT } from './zendesk.constants';

const CURSOR_KEY = 'tickets.cursor';
export const DEFAULT_BACKFILL_DAYS = 90;
/** Comment fetches in flight at once; the client's limiter keeps the account under its plan. */
const COMMENT_CONCURRENCY = 8;

export interface SyncProgress {
  /** Called after every page with the running totals (for run progress and stats). */
  (totals: SyncTotals): Promise<void> | void;
}

export interface SyncTotals {
  ticketsFetched: number;
  ticketsChanged: number;
  ticketsUnchanged: number;
  ticketsDeleted: number;
  commentsFetched: number;
  usersSynced: number;
  organizationsSynced: number;
  pages: number;
  /** Ticket ids whose text changed: what analysis must look at. */
  changedIds: number[];
  errors: { ref: string; message: string }[];
}

interface ZdTicketLike {
  id: number;
  subject?: string | null;
  description?: string | null;
  status: string;
  priority?: string | null;
  type?: string | null;
  tags?: string[];
  requester_id?: number | null;
  submitter_id?: number | null;
  assignee_id?: number | null;
  organization_id?: number | null;
  group_id?: number | null;
  brand_id?: number | null;
  via?: { channel?: string } | null;
  custom_fields?: { id: number; value: unknown }[];
  satisfaction_rating?: { score?: string } | null;
  created_at: string;
  updated_at: string;
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
    @InjectRepository(SyncState) private readonly state: Repository<SyncState>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get configured(): boolean {
    return this.client !== null;
  }

  /** The saved export cursor, if a sync ever ran. */
  async savedCursor(): Promise<string | null> {
    const row = await this.state.findOneBy({ key: CURSOR_KEY });
    return (row?.value as { cursor?: string } | undefined)?.cursor ?? null;
  }

  /**
   * Syncs tickets changed since the saved cursor, or — with `backfillDays`, or on the very first sync — since
   * that many days ago. Calls `progress` after every page.
   */
  async sync(
    options: { backfillDays?: number; progress?: SyncProgress; signal?: AbortSignal } = {},
  ): Promise<SyncTotals> {
    if (!this.client)
      throw new Error(
        'Zendesk is not configured (set ZENDESK_SUBDOMAIN with ZENDESK_EMAIL/ZENDESK_API_TOKEN or ZENDESK_OAUTH_TOKEN)',
      );
    const totals: SyncTotals = {
      ticketsFetched: 0,
      ticketsChanged: 0,
      ticketsUnchanged: 0,
      ticketsDeleted: 0,
      commentsFetched: 0,
      usersSynced: 0,
      organizationsSynced: 0,
      pages: 0,
      changedIds: [],
      errors: [],
    };
    let cursor = options.backfillDays === undefined ? await this.savedCursor() : null;
    const startTime = cursor
      ? undefined
      : Math.floor(Date.now() / 1000) - (options.backfillDays ?? DEFAULT_BACKFILL_DAYS) * 86_400;
    for (;;) {
      options.signal?.throwIfAborted();
      const include: ('users' | 'organizations')[] = ['users', 'organizations'];
      const page = await this.client.exportTicketsCursor(
        cursor ? { cursor, include } : { startTime: startTime!, include },
      );
      totals.pages++;
      await this.store.upsertOrganizations(page.organizations.map(toOrganization));
      await this.store.upsertUsers(page.users.map(toUser));
      totals.organizationsSynced += page.organizations.length;
      totals.usersSynced += page.users.length;

      const brand = this.config.zendesk.brandId;
      const tickets = (page.tickets as ZdTicketLike[]).filter((t) => brand === undefined || t.brand_id === brand);
      totals.ticketsFetched += tickets.length;
      const deleted = tickets.filter((t) => t.status === 'deleted').map((t) => t.id);
      const live = tickets.filter((t) => t.status !== 'deleted');
      totals.ticketsDeleted += await this.store.markDeleted(deleted);

      const threads = await this.fetchThreads(
        live.map((t) => t.id),
        totals,
      );
      const incoming: IncomingTicket[] = [];
      for (const t of live) {
        const comments = threads.get(t.id);
        if (comments === 'deleted') {
          // Deleted between the export and the comment fetch: the next export says so.
          totals.ticketsDeleted += await this.store.markDeleted([t.id]);
          continue;
        }
        incoming.push(toIncoming(t, comments));
      }
      const result = await this.store.upsertTickets(incoming);
      totals.ticketsChanged += result.textChanged.length;
      totals.ticketsUnchanged += incoming.length - result.textChanged.length;
      totals.changedIds.push(...result.textChanged);

      // The page is stored: only now does the cursor move past it.
      if (page.afterCursor) {
        cursor = page.afterCursor;
        await this.state.save({ key: CURSOR_KEY, value: { cursor, savedAt: new Date().toISOString() } });
      }
      await options.progress?.(totals);
      if (page.endOfStream || !page.afterCursor) break;
    }
    return totals;
  }

  /** Whole threads for tickets, fetched with bounded concurrency. A failed thread is recorded, not fatal. */
  private async fetchThreads(
    ids: number[],
    totals: SyncTotals,
  ): Promise<Map<number, IncomingComment[] | 'deleted' | undefined>> {
    const threads = new Map<number, IncomingComment[] | 'deleted' | undefined>();
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          const comments = await this.client!.ticketComments(id);
          totals.commentsFetched += comments.length;
          threads.set(
            id,
            comments.map((c) => ({
              zendeskCommentId: c.id,
              authorId: c.author_id ?? null,
              public: c.public !== false,
              body: c.plain_body ?? c.body ?? '',
              createdAt: new Date(c.created_at),
            })),
          );
        } catch (error) {
          if (error instanceof ZendeskNotFoundError) {
            threads.set(id, 'deleted');
          } else {
            // Keep the ticket's fields; its thread is fetched again by the next sync that sees it change, and the
            // run records why.
            threads.set(id, undefined);
            totals.errors.push({ ref: `ticket ${id}`, message: (error as Error).message });
            this.logger.warn(`comments of ticket ${id}: ${(error as Error).message}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(COMMENT_CONCURRENCY, ids.length) }, worker));
    return threads;
  }
}

function toIncoming(t: ZdTicketLike, comments: IncomingComment[] | undefined): IncomingTicket {
  return {
    zendeskId: t.id,
    subject: t.subject ?? '',
    description: t.description ?? '',
    status: t.status,
    priority: t.priority ?? null,
    type: t.type ?? null,
    tags: t.tags ?? [],
    requesterId: t.requester_id ?? null,
    submitterId: t.submitter_id ?? null,
    assigneeId: t.assignee_id ?? null,
    organizationId: t.organization_id ?? null,
    groupId: t.group_id ?? null,
    brandId: t.brand_id ?? null,
    channel: t.via?.channel ?? null,
    customFields: t.custom_fields ?? [],
    satisfaction: t.satisfaction_rating?.score ?? null,
    createdAt: new Date(t.created_at),
    updatedAt: new Date(t.updated_at),
    source: 'zendesk',
    comments,
  };
}

function toOrganization(o: {
  id: number;
  name?: string;
  domain_names?: string[];
  tags?: string[];
  created_at?: string;
  updated_at?: string;
}) {
  return {
    id: o.id,
    name: o.name ?? '',
    domainNames: o.domain_names ?? [],
    tags: o.tags ?? [],
    createdAt: o.created_at ? new Date(o.created_at) : null,
    updatedAt: o.updated_at ? new Date(o.updated_at) : null,
  };
}

function toUser(u: {
  id: number;
  name?: string;
  email?: string | null;
  role?: string;
  organization_id?: number | null;
  created_at?: string;
  updated_at?: string;
}) {
  return {
    id: u.id,
    name: u.name ?? '',
    email: u.email ?? null,
    role: u.role ?? 'end-user',
    organizationId: u.organization_id ?? null,
    createdAt: u.created_at ? new Date(u.created_at) : null,
    updatedAt: u.updated_at ? new Date(u.updated_at) : null,
  };
}
