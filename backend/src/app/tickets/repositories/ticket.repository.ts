import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  afterKeyset,
  cappedCountSql,
  cappedTotal,
  COUNT_CAP,
  KeyColumn,
  keyOutputs,
  keyValues,
  SEARCH_COUNT_CAP,
} from '@app/common/keyset';
import { Ticket, TicketSource } from '../entities/ticket.entity';
import { liveTicket } from '../ticket.filters';
import type { ZendeskTicketAttributes } from '../zendesk-ticket-attributes';
import { jsonBatches, updatedCount } from './sql-batches';

/** What an upsert needs to know of a stored ticket. */
export interface TicketWriteState {
  zendeskId: number;
  source: TicketSource;
  contentHash: string;
  commentCount: number;
  threadStale: boolean;
  deletedAt: Date | null;
  updatedAt: Date;
}

/** A ticket as written by `upsert` (column names). */
export interface TicketWriteRow extends ZendeskTicketAttributes {
  zendesk_id: number;
  original_id: string | null;
  subject: string;
  description: string;
  status: string;
  channel: string | null;
  custom_fields: { id: number; value: unknown }[];
  satisfaction: string | null;
  created_at: Date;
  updated_at: Date;
  source: TicketSource;
  content_hash: string;
  comment_count: number;
  thread_stale: boolean;
  expected_comments: number | null;
}

/** What a thread replacement needs to know of a stored ticket. */
export interface ThreadHead {
  zendeskId: number;
  subject: string;
  contentHash: string;
  commentCount: number;
}

export interface ThreadStateUpdate {
  id: number;
  /** null: the stored thread is kept (only the flags are cleared). */
  content_hash: string | null;
  comment_count: number | null;
}

export interface TicketListFilters {
  search?: string;
  status?: string[];
  organizationId?: number;
  startDate?: Date | string;
  endDate?: Date | string;
  sortField: 'created_at' | 'updated_at';
  sortDirection: 'ASC' | 'DESC';
  skip: number;
  take: number;
  /** The previous page's last sort key (keyset paging); `skip` is then ignored. */
  after?: string[];
}

/** A page of tickets, the total counted up to COUNT_CAP, and the keyset after the last row (null: no next page). */
/** The columns a ticket list shows (`ticketSummary`): not the description, custom fields or bookkeeping. */
export const TICKET_SUMMARY_COLUMNS = [
  'zendeskId',
  'originalId',
  'subject',
  'status',
  'priority',
  'organizationId',
  'requesterId',
  'tags',
  'commentCount',
  'source',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Ticket)[];
export type TicketSummaryRow = Pick<Ticket, (typeof TICKET_SUMMARY_COLUMNS)[number]>;

export interface TicketPage {
  rows: TicketSummaryRow[];
  total: number;
  totalExact: boolean;
  next: string[] | null;
}

/** Flagged threads: how many, how many with Zendesk's comment count, and the oldest creation among those. */
export interface StaleThreadSummary {
  count: number;
  counted: number;
  /** Null when none is counted. */
  since: Date | null;
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
   WHERE EXCLUDED.source = 'zendesk' OR (tickets.source <> 'zendesk' AND ${liveTicket('tickets')})`;

/** The tickets table: upserts, thread flags, deletions and merges, and the reads of the ticket list and detail. */
@Injectable()
export class TicketRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction; pass its manager to the methods that take `tx`. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Raw rows, not entities: a page of 1,000 tickets is read on every export page. */
  async findWriteStates(ids: number[], tx: EntityManager = this.dataSource.manager): Promise<TicketWriteState[]> {
    const rows: {
      zendesk_id: string;
      content_hash: string;
      comment_count: number;
      thread_stale: boolean;
      deleted_at: Date | null;
      updated_at: Date;
      source: TicketSource;
    }[] = await tx.query(
      `SELECT zendesk_id, content_hash, comment_count, thread_stale, deleted_at, updated_at, source
         FROM tickets WHERE zendesk_id = ANY($1)`,
      [ids],
    );
    return rows.map((r) => ({
      zendeskId: Number(r.zendesk_id),
      contentHash: r.content_hash,
      commentCount: r.comment_count,
      threadStale: r.thread_stale,
      deletedAt: r.deleted_at,
      updatedAt: new Date(r.updated_at),
      source: r.source,
    }));
  }

  /**
   * Upserts tickets, one JSON parameter per batch: the ORM's multi-row insert built a parameter per column per row
   * (26 per ticket) and an entity merge of RETURNING columns, which was most of an export page's CPU time and
   * garbage. An import never clears a deletion nor overwrites a ticket the sync wrote.
   */
  async upsert(rows: TicketWriteRow[], tx: EntityManager = this.dataSource.manager): Promise<void> {
    for (const json of jsonBatches(rows)) await tx.query(UPSERT_TICKETS_SQL, [json]);
  }

  /** Internal ids of tickets already imported under these original ids. */
  async findIdsByOriginalId(originalIds: string[]): Promise<{ originalId: string; zendeskId: number }[]> {
    const rows: { original_id: string; zendesk_id: string }[] = await this.dataSource.query(
      `SELECT original_id, zendesk_id FROM tickets WHERE original_id = ANY($1)`,
      [originalIds],
    );
    return rows.map((r) => ({ originalId: r.original_id, zendeskId: Number(r.zendesk_id) }));
  }

  /** The ids among `ids` that a stored ticket holds. */
  async findTakenIds(ids: number[]): Promise<number[]> {
    const rows: { zendesk_id: string }[] = await this.dataSource.query(
      `SELECT zendesk_id FROM tickets WHERE zendesk_id = ANY($1)`,
      [ids],
    );
    return rows.map((r) => Number(r.zendesk_id));
  }

  async findThreadHeads(ids: number[], tx: EntityManager = this.dataSource.manager): Promise<ThreadHead[]> {
    const rows: { zendesk_id: string; subject: string; content_hash: string; comment_count: number }[] = await tx.query(
      `SELECT zendesk_id, subject, content_hash, comment_count FROM tickets WHERE zendesk_id = ANY($1)`,
      [ids],
    );
    return rows.map((r) => ({
      zendeskId: Number(r.zendesk_id),
      subject: r.subject,
      contentHash: r.content_hash,
      commentCount: r.comment_count,
    }));
  }

  /** Clears the stale flags of threads just fetched; a replaced thread also gets its new hash and count. */
  async updateThreadState(updates: ThreadStateUpdate[], tx: EntityManager = this.dataSource.manager): Promise<void> {
    for (const json of jsonBatches(updates))
      await tx.query(
        `UPDATE tickets t
            SET thread_stale = false, expected_comments = NULL,
                content_hash = coalesce(x.content_hash, t.content_hash),
                comment_count = coalesce(x.comment_count, t.comment_count)
           FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, content_hash text, comment_count integer)
          WHERE t.zendesk_id = x.id`,
        [json],
      );
  }

  /** Soft-deletes live tickets among `ids`. Returns how many changed. */
  async markDeleted(ids: number[]): Promise<number> {
    return updatedCount(
      await this.dataSource.query(
        `UPDATE tickets SET deleted_at = now(), status = 'deleted' WHERE zendesk_id = ANY($1) AND ${liveTicket()}`,
        [ids],
      ),
    );
  }

  /** Sets `merged_into_id` of each source ticket (one link per source). Returns how many links changed. */
  async linkMerges(links: { source: number; target: number }[]): Promise<number> {
    let changed = 0;
    for (const json of jsonBatches(links))
      changed += updatedCount(
        await this.dataSource.query(
          `UPDATE tickets t SET merged_into_id = x.target
             FROM jsonb_to_recordset($1::jsonb) AS x(source bigint, target bigint)
            WHERE t.zendesk_id = x.source AND t.merged_into_id IS DISTINCT FROM x.target`,
          [json],
        ),
      );
    return changed;
  }

  /** Empties the text of tickets not scrubbed yet and marks them scrubbed (and deleted). Returns how many. */
  async scrub(ids: number[], emptyHash: string, tx: EntityManager = this.dataSource.manager): Promise<number> {
    return updatedCount(
      await tx.query(
        `UPDATE tickets SET subject = '', description = '', tags = '{}', custom_fields = '[]'::jsonb,
                satisfaction = NULL, status = 'deleted', content_hash = $2, comment_count = 0, thread_stale = false,
                expected_comments = NULL, deleted_at = coalesce(deleted_at, now()), scrubbed_at = now()
          WHERE zendesk_id = ANY($1) AND scrubbed_at IS NULL`,
        [ids, emptyHash],
      ),
    );
  }

  /**
   * A page of live tickets matching the filters: `take` from `skip`, or after the keyset `after` (the previous
   * page's last sort key); the total counted up to COUNT_CAP; the keyset of the page's last row when more follow.
   * Ids first, from an index of the sort (tickets_list_*_idx: a deep page walks index entries), then the rows.
   */
  async findPage(filters: TicketListFilters): Promise<TicketPage> {
    const where = [liveTicket('t')];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filters.search) add(`t.search @@ websearch_to_tsquery('english', ?)`, filters.search);
    if (filters.status?.length) add('t.status = ANY(?)', filters.status);
    if (filters.organizationId) add('t.organization_id = ?', filters.organizationId);
    if (filters.startDate) add('t.created_at >= ?', filters.startDate);
    if (filters.endDate) add('t.created_at < ?', filters.endDate);
    const keys: KeyColumn[] = [
      { sql: `t.${filters.sortField}`, type: 'timestamptz' },
      { sql: 't.zendesk_id', type: 'bigint' },
    ];
    const descending = filters.sortDirection === 'DESC';
    const cap = filters.search ? SEARCH_COUNT_CAP : COUNT_CAP;
    const pageParams = [...params];
    let keyset = '';
    if (filters.after) {
      keyset = `AND ${afterKeyset(keys, descending, params.length + 1)}`;
      pageParams.push(...filters.after);
    }
    const order = keys.map((k) => `${k.sql} ${filters.sortDirection}`).join(', ');
    const [ids, [count]]: [Array<Record<string, string>>, Array<{ n: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT t.zendesk_id AS id, ${keyOutputs(keys)} FROM tickets t WHERE ${where.join(' AND ')} ${keyset}
          ORDER BY ${order} LIMIT ${filters.take + 1} OFFSET ${filters.after ? 0 : filters.skip}`,
        pageParams,
      ),
      this.dataSource.query(cappedCountSql(`tickets t WHERE ${where.join(' AND ')}`, cap), params),
    ]);
    const page = ids.slice(0, filters.take).map((r) => Number(r['id']));
    const found = page.length
      ? await this.dataSource
          .getRepository(Ticket)
          .find({ select: [...TICKET_SUMMARY_COLUMNS], where: { zendeskId: In(page) } })
      : [];
    const byId = new Map(found.map((t) => [Number(t.zendeskId), t]));
    return {
      rows: page.flatMap((id): TicketSummaryRow[] => {
        const row = byId.get(id);
        return row ? [row] : [];
      }),
      ...cappedTotal(count!.n, cap),
      next: ids.length > filters.take ? keyValues(ids[filters.take - 1]!, keys.length) : null,
    };
  }

  /** A ticket by id, deleted or not. */
  findById(zendeskId: number): Promise<Ticket | null> {
    return this.dataSource.getRepository(Ticket).findOne({ where: { zendeskId } });
  }

  /** Flagged live threads. */
  async staleThreadSummary(): Promise<StaleThreadSummary> {
    const [row]: StaleThreadSummary[] = await this.dataSource.query(
      `SELECT count(*)::int AS count, count(*) FILTER (WHERE expected_comments IS NOT NULL)::int AS counted,
              min(created_at) FILTER (WHERE expected_comments IS NOT NULL) AS since
         FROM tickets WHERE thread_stale AND ${liveTicket()}`,
    );
    return row!;
  }

  /**
   * The flagged live tickets' ids, ascending, as a typed array (8 bytes each, whatever the ticket count); with
   * `counted`, only those whose comment count the export gave (true) or did not give (false).
   */
  async findStaleIds(counted?: boolean): Promise<Float64Array> {
    const filter =
      counted === undefined ? '' : counted ? 'AND expected_comments IS NOT NULL' : 'AND expected_comments IS NULL';
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT zendesk_id AS id FROM tickets WHERE thread_stale AND ${liveTicket()} ${filter} ORDER BY zendesk_id`,
    );
    const ids = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) ids[i] = Number(rows[i]!.id);
    return ids;
  }

  /** Tickets created since `since` and their mean comment count (at least 1 each; 3 when there are none). */
  async creationStats(since: Date): Promise<{ tickets: number; comments: number }> {
    const [row]: { tickets: number; comments: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS tickets, coalesce(avg(greatest(coalesce(expected_comments, comment_count), 1)), 3)::float AS comments
         FROM tickets WHERE created_at >= $1`,
      [since],
    );
    return row!;
  }

  /** Tickets another tool keyed (`original_id`), with the internal id each is stored under. */
  async findKeyed(): Promise<{ zendeskId: number; originalId: string }[]> {
    const rows: { id: string; original_id: string }[] = await this.dataSource.query(
      `SELECT zendesk_id AS id, original_id FROM tickets WHERE original_id IS NOT NULL`,
    );
    return rows.map((r) => ({ zendeskId: Number(r.id), originalId: r.original_id }));
  }

  /** Every live ticket's subject, description and creation time. */
  async findLiveTexts(): Promise<{ zendeskId: number; subject: string; description: string; createdAt: Date }[]> {
    const rows: { id: string; subject: string; description: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT zendesk_id AS id, subject, description, created_at FROM tickets WHERE ${liveTicket()}`,
    );
    return rows.map((r) => ({
      zendeskId: Number(r.id),
      subject: r.subject,
      description: r.description,
      createdAt: r.created_at,
    }));
  }

  /** Every live ticket's id, ascending. */
  async findLiveIds(): Promise<number[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT zendesk_id AS id FROM tickets WHERE ${liveTicket()} ORDER BY zendesk_id`,
    );
    return rows.map((r) => Number(r.id));
  }

  /** Sets `analyzed_hash` where the text is still the one analysed (in `tx` when given). */
  async markAnalyzed(
    tickets: ReadonlyArray<{ zendeskId: number; contentHash: string }>,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await tx.query(
      `UPDATE tickets t SET analyzed_hash = x.hash
         FROM unnest($1::bigint[], $2::text[]) AS x(id, hash)
        WHERE t.zendesk_id = x.id AND t.content_hash = x.hash`,
      [tickets.map((t) => t.zendeskId), tickets.map((t) => t.contentHash)],
    );
  }

  /** Clears `analyzed_hash` of the given tickets; how many there were. */
  async clearAnalyzed(ids: readonly number[]): Promise<number> {
    const result = await this.dataSource.query(
      `UPDATE tickets SET analyzed_hash = NULL WHERE zendesk_id = ANY($1::bigint[]) RETURNING zendesk_id`,
      [ids],
    );
    return updatedCount(result);
  }
}
