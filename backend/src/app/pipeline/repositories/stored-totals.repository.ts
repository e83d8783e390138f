import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { liveTicket } from '@app/tickets/ticket.filters';

/** What the runs page shows of the stored data. */
export interface StoredTotals {
  /** Tickets stored (not deleted). */
  tickets: number;
  deletedTickets: number;
  comments: number;
  organizations: number;
}

/**
 * Read-only counts over what runs stored (tickets, comments, organizations: the tickets module's tables), for the
 * status page and the zero-config demo import. Visibility comes from the owner's filter (`liveTicket`).
 */
@Injectable()
export class StoredTotalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async totals(): Promise<StoredTotals> {
    const [row]: StoredTotals[] = await this.dataSource.query(`
      SELECT (SELECT count(*) FROM tickets WHERE ${liveTicket()})::int AS tickets,
             (SELECT count(*) FROM tickets WHERE NOT (${liveTicket()}))::int AS "deletedTickets",
             (SELECT count(*) FROM ticket_comments)::int AS comments,
             (SELECT count(*) FROM zendesk_organizations)::int AS organizations`);
    return row;
  }

  /** Nothing was ever stored: no ticket (not even a deleted one) and no run. */
  async empty(): Promise<boolean> {
    const [row]: Array<{ tickets: number; runs: number }> = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM runs)::int AS runs`,
    );
    return row.tickets === 0 && row.runs === 0;
  }
}
