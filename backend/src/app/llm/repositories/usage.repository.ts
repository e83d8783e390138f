import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AnalysisUsage } from '../entities/analysis-usage.entity';

/** One ledger row to write (one billed call). */
export interface UsageRow {
  runId: string | null;
  ticketId: number | null;
  model: string;
  batch: boolean;
  batchId: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  costUsd: number | null;
}

/** Sums of billed calls, as PostgreSQL returns them (bigint and numeric come back as strings). */
export interface UsageSumsRow {
  calls: number;
  batch_calls: number;
  input_tokens: string;
  output_tokens: string;
  cache_write_tokens: string;
  cache_read_tokens: string;
  cost_usd: string;
  unpriced_calls: number;
}

export interface UsageByDayRow extends UsageSumsRow {
  day: string;
  model: string;
}

export interface UsageByModelRow extends UsageSumsRow {
  model: string;
}

export interface UsageByRunRow extends UsageSumsRow {
  run_id: string | null;
  run_created_at: Date | string | null;
}

const SUMS = `count(*)::int AS calls, count(*) FILTER (WHERE batch)::int AS batch_calls,
  coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
  coalesce(sum(cache_write_5m_tokens + cache_write_1h_tokens), 0)::bigint AS cache_write_tokens,
  coalesce(sum(cache_read_tokens), 0)::bigint AS cache_read_tokens,
  coalesce(sum(cost_usd), 0)::numeric AS cost_usd, count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced_calls`;

/** The cost ledger (`analysis_usage`): its only writer, and its summary reads. */
@Injectable()
export class UsageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends billed calls, in the caller's transaction when `manager` is given. */
  async insert(rows: readonly UsageRow[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!rows.length) return;
    await manager.insert(AnalysisUsage, [...rows]);
  }

  /** Every call since `from`, summed (one row). */
  async totalsSince(from: Date): Promise<UsageSumsRow | undefined> {
    const [row] = await this.dataSource.query<UsageSumsRow[]>(
      `SELECT ${SUMS} FROM analysis_usage u WHERE u.created_at >= $1`,
      [from],
    );
    return row;
  }

  /** Calls since `from` summed by UTC day and model, in that order. */
  byDayAndModelSince(from: Date): Promise<UsageByDayRow[]> {
    return this.dataSource.query<UsageByDayRow[]>(
      `SELECT to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, u.model, ${SUMS}
         FROM analysis_usage u WHERE u.created_at >= $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [from],
    );
  }

  /** Calls since `from` summed by model. */
  byModelSince(from: Date): Promise<UsageByModelRow[]> {
    return this.dataSource.query<UsageByModelRow[]>(
      `SELECT u.model, ${SUMS} FROM analysis_usage u WHERE u.created_at >= $1 GROUP BY 1 ORDER BY 1`,
      [from],
    );
  }

  /**
   * Calls since `from` summed by run, the latest `limit` runs first (a run's time: when it was created, else its
   * first call). `runs` is read for that time only.
   */
  byRunSince(from: Date, limit = 100): Promise<UsageByRunRow[]> {
    return this.dataSource.query<UsageByRunRow[]>(
      `SELECT u.run_id, min(r.created_at) AS run_created_at, ${SUMS}
         FROM analysis_usage u LEFT JOIN runs r ON r.id = u.run_id WHERE u.created_at >= $1
        GROUP BY u.run_id ORDER BY min(coalesce(r.created_at, u.created_at)) DESC LIMIT $2`,
      [from, limit],
    );
  }
}
