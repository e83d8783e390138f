import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TicketRepository } from './repositories/ticket.repository';

/**
 * The analysed mark of tickets (`tickets.analyzed_hash`: the text the last successful analysis saw). The analysis
 * module sets and clears it through this service; the tickets module stays the only writer of its tables.
 */
@Injectable()
export class TicketAnalysisMarks {
  constructor(private readonly tickets: TicketRepository) {}

  /**
   * Marks tickets analysed at the text they had (in the caller's transaction when `manager` is given). Only where
   * the text is still what was analysed: a ticket changed meanwhile stays pending.
   */
  async markAnalyzed(
    tickets: ReadonlyArray<{ zendeskId: number; contentHash: string }>,
    manager?: EntityManager,
  ): Promise<void> {
    if (tickets.length) await this.tickets.markAnalyzed(tickets, manager);
  }

  /** Clears the mark of the given tickets, so the next run analyses them again. Returns how many were marked. */
  async clearAnalyzed(ids: readonly number[]): Promise<number> {
    return ids.length ? this.tickets.clearAnalyzed(ids) : 0;
  }
}
