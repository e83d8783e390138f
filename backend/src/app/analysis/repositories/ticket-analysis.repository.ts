import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The analysis records (`ticket_analyses`): one row per analysis of a ticket. */
@Injectable()
export class TicketAnalysisRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Distinct tickets analysed per run, for the given runs (runs with none are absent). */
  async ticketCountsByRun(runIds: readonly string[]): Promise<Map<string, number>> {
    if (!runIds.length) return new Map();
    const rows = await this.dataSource.query<Array<{ run_id: string; tickets: number }>>(
      `SELECT a.run_id, count(DISTINCT a.ticket_id)::int AS tickets FROM ticket_analyses a
        WHERE a.run_id = ANY($1::uuid[]) GROUP BY a.run_id`,
      [runIds],
    );
    return new Map(rows.map((r) => [r.run_id, Number(r.tickets)]));
  }
}
