import { Injectable } from '@nestjs/common';
import { UsageSumsRow } from '@app/llm/repositories/usage.repository';
import { UsageLedger } from '@app/llm/usage-ledger.service';
import { TicketAnalysisRepository } from '../repositories/ticket-analysis.repository';
import { AnalysisCostsResponse, CostTotalsResponse } from './dto/costs.response';

function totals(row: UsageSumsRow | undefined): CostTotalsResponse {
  return {
    calls: Number(row?.calls ?? 0),
    batchCalls: Number(row?.batch_calls ?? 0),
    inputTokens: Number(row?.input_tokens ?? 0),
    outputTokens: Number(row?.output_tokens ?? 0),
    cacheWriteTokens: Number(row?.cache_write_tokens ?? 0),
    cacheReadTokens: Number(row?.cache_read_tokens ?? 0),
    costUsd: Number(row?.cost_usd ?? 0),
    unpricedCalls: Number(row?.unpriced_calls ?? 0),
  };
}

/** The cost ledger read model: billed calls summed by day and model, by model, and by run. */
@Injectable()
export class CostsService {
  constructor(
    private readonly ledger: UsageLedger,
    private readonly analyses: TicketAnalysisRepository,
  ) {}

  async costs(days: number): Promise<AnalysisCostsResponse> {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    const { totals: all, byDay, byModel, byRun } = await this.ledger.summarySince(from);
    const tickets = await this.analyses.ticketCountsByRun(byRun.flatMap((r) => (r.run_id ? [r.run_id] : [])));
    return {
      days,
      from,
      to,
      totals: totals(all),
      byDay: byDay.map((r) => ({ day: String(r.day), model: String(r.model), ...totals(r) })),
      byModel: byModel.map((r) => ({ model: String(r.model), ...totals(r) })),
      byRun: byRun.map((r) => ({
        runId: r.run_id ?? null,
        runCreatedAt: r.run_created_at ? new Date(r.run_created_at) : null,
        ticketsAnalyzed: r.run_id ? (tickets.get(r.run_id) ?? 0) : 0,
        ...totals(r),
      })),
    };
  }
}
