import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnalysisCostsResponse, CostTotalsResponse } from './dto/costs.response';

const SUMS = `count(*)::int AS calls, count(*) FILTER (WHERE batch)::int AS batch_calls,
  coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
  coalesce(sum(cache_write_5m_tokens + cache_write_1h_tokens), 0)::bigint AS cache_write_tokens,
  coalesce(sum(cache_read_tokens), 0)::bigint AS cache_read_tokens,
  coalesce(sum(cost_usd), 0)::numeric AS cost_usd, count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced_calls`;

function totals(row: Record<string, unknown> | undefined): CostTotalsResponse {
  return {
    calls: Number(row?.['calls'] ?? 0),
    batchCalls: Number(row?.['batch_calls'] ?? 0),
    inputTokens: Number(row?.['input_tokens'] ?? 0),
    outputTokens: Number(row?.['output_tokens'] ?? 0),
    cacheWriteTokens: Number(row?.['cache_write_tokens'] ?? 0),
    cacheReadTokens: Number(row?.['cache_read_tokens'] ?? 0),
    costUsd: Number(row?.['cost_usd'] ?? 0),
    unpricedCalls: Number(row?.['unpriced_calls'] ?? 0),
  };
}

/** The cost ledger read model: billed calls summed by day and model, by model, and by run. */
@Injectable()
export class CostsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async costs(days: number): Promise<AnalysisCostsResponse> {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    const where = `WHERE u.created_at >= $1`;
    const [all] = await this.dataSource.query(`SELECT ${SUMS} FROM analysis_usage u ${where}`, [from]);
    const byDay: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, u.model, ${SUMS}
         FROM analysis_usage u ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
      [from],
    );
    const byModel: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT u.model, ${SUMS} FROM analysis_usage u ${where} GROUP BY 1 ORDER BY 1`,
      [from],
    );
    const byRun: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT u.run_id, min(r.created_at) AS run_created_at,
              (SELECT count(DISTINCT a.ticket_id) FROM ticket_analyses a WHERE a.run_id = u.run_id)::int AS tickets, ${SUMS}
         FROM analysis_usage u LEFT JOIN runs r ON r.id = u.run_id ${where}
        GROUP BY u.run_id ORDER BY min(coalesce(r.created_at, u.created_at)) DESC LIMIT 100`,
      [from],
    );
    return {
      days,
      from,
      to,
      totals: totals(all),
      byDay: byDay.map((r) => ({ day: String(r['day']), model: String(r['model']), ...totals(r) })),
      byModel: byModel.map((r) => ({ model: String(r['model']), ...totals(r) })),
      byRun: byRun.map((r) => ({
        runId: (r['run_id'] as string | null) ?? null,
        runCreatedAt: r['run_created_at'] ? new Date(r['run_created_at'] as string) : null,
        ticketsAnalyzed: Number(r['tickets'] ?? 0),
        ...totals(r),
      })),
    };
  }
}
