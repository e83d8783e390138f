import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { liveTicket } from '@app/tickets/ticket.filters';

/** Runs counted by kind and status. */
export interface RunCountRow {
  kind: string;
  status: string;
  n: number;
}

/** Totals over every run's stats, and the tickets stored (bigint counts come back as strings). */
export interface PipelineTotalsRow {
  requests: string;
  limited: string;
  fetched: string;
  stored: string;
}

/**
 * The reads behind `/api/metrics`: a read-only reporting layer over other modules' tables (runs, tickets), using
 * their owners' filters. Read at scrape time, so every replica reports the same totals.
 */
@Injectable()
export class MetricsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  runCounts(): Promise<RunCountRow[]> {
    return this.dataSource.query(`SELECT kind, status, count(*)::int AS n FROM runs GROUP BY kind, status`);
  }

  async totals(): Promise<PipelineTotalsRow> {
    const [row]: PipelineTotalsRow[] = await this.dataSource.query(`
      SELECT coalesce(sum((stats->>'zendeskRequests')::bigint), 0)::bigint AS requests,
             coalesce(sum((stats->>'rateLimited')::bigint), 0)::bigint AS limited,
             coalesce(sum((stats->>'ticketsFetched')::bigint), 0)::bigint AS fetched,
             (SELECT count(*) FROM tickets WHERE ${liveTicket()})::bigint AS stored
        FROM runs`);
    return row;
  }
}
