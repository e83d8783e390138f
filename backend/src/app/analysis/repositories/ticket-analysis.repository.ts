import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AnalysisStatus } from '../analyzer';
import { TicketAnalysis } from '../entities/ticket-analysis.entity';

/** One analysis record to write (tokens and cost summed over its billed calls). */
export interface NewAnalysisRow {
  ticketId: number;
  runId: string | null;
  analyzer: 'claude' | 'local';
  model: string;
  status: AnalysisStatus;
  reason: string;
  contentHash: string;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  costUsd: number | null;
  calls: number;
  batchId: string | null;
  frustration: number | null;
}

/** An analysis without billed calls (the local analyzer): its id is chosen by the caller, so issues can refer to it. */
export interface FreeAnalysisRow {
  id: string;
  ticketId: number;
  status: AnalysisStatus;
  reason: string;
  contentHash: string;
  frustration: number | null;
}

/** What a set of free analyses share. */
export interface FreeAnalysisContext {
  runId: string | null;
  analyzer: 'claude' | 'local';
  model: string;
  batchId: string | null;
}

/** The analysis records (`ticket_analyses`): one row per analysis of a ticket, every attempt kept. */
@Injectable()
export class TicketAnalysisRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Marks scrubbed tickets' analysis records (their reason may quote the ticket). */
  async scrubForTickets(manager: EntityManager, ticketIds: readonly number[]): Promise<void> {
    await manager.query(`UPDATE ticket_analyses SET reason = 'scrubbed' WHERE ticket_id = ANY($1)`, [ticketIds]);
  }

  /** Inserts one analysis record in the caller's transaction; returns it with its id. */
  insertOne(manager: EntityManager, row: NewAnalysisRow): Promise<TicketAnalysis> {
    const repository = manager.getRepository(TicketAnalysis);
    return repository.save(repository.create(row));
  }

  /** Inserts analyses without billed calls (cost 0, no calls) in one statement, in the caller's transaction. */
  async insertFree(manager: EntityManager, rows: readonly FreeAnalysisRow[], context: FreeAnalysisContext) {
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO ticket_analyses (id, ticket_id, run_id, analyzer, model, status, reason, content_hash, cost_usd,
                                    calls, batch_id, frustration)
       SELECT x.id, x.ticket_id, $2, $3, $4, x.status, x.reason, x.content_hash, 0, 0, $5, x.frustration
         FROM jsonb_to_recordset($1::jsonb)
           AS x(id uuid, ticket_id bigint, status text, reason text, content_hash text, frustration real)`,
      [
        JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            ticket_id: r.ticketId,
            status: r.status,
            reason: r.reason,
            content_hash: r.contentHash,
            frustration: r.frustration,
          })),
        ),
        context.runId,
        context.analyzer,
        context.model,
        context.batchId,
      ],
    );
  }

  /** The ticket's newest analysis (its current one), if any. */
  latestForTicket(ticketId: number): Promise<TicketAnalysis | null> {
    return this.dataSource.getRepository(TicketAnalysis).findOne({ where: { ticketId }, order: { createdAt: 'DESC' } });
  }

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
