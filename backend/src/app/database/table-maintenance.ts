import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { errorMessage } from '@app/common/errors';

/** The tables a run writes in bulk, whose planner statistics and visibility map the list queries depend on. */
export const BULK_WRITTEN_TABLES = ['tickets', 'issues', 'clusters'] as const;

/**
 * Planner statistics and visibility maps refreshed after a run (the one SQL outside a module's repository besides
 * the migration lock: maintenance, no rows read or written). A bulk import left `issues` never analysed and never
 * vacuumed where autovacuum is off or has not come round yet: the capped counts then seq-scanned (100 ms instead of
 * index-only 25 ms at 100k) and the list plans were chosen on empty statistics (bench/RESULTS.md, issue 15).
 * VACUUM skips all-visible pages and ANALYZE samples, so a nightly run on a large database pays little.
 */
@Injectable()
export class TableMaintenance {
  private readonly logger = new Logger(TableMaintenance.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** VACUUM (ANALYZE) of the bulk-written tables; a failure is logged with its reason, never the run's failure. */
  async afterRun(): Promise<boolean> {
    try {
      await this.dataSource.query(`VACUUM (ANALYZE) ${BULK_WRITTEN_TABLES.join(', ')}`);
      return true;
    } catch (error) {
      this.logger.warn(`VACUUM (ANALYZE) after the run failed: ${errorMessage(error)}`);
      return false;
    }
  }
}

/**
 * Tables that import, analysis and clustering grow in bulk, and whose per-batch lookups (`= ANY($ids)`, a page of
 * 200–500 ids) PostgreSQL plans from their statistics.
 */
export const GROWING_TABLES = [
  'tickets',
  'ticket_comments',
  'ticket_analyses',
  'issues',
  'zendesk_users',
  'zendesk_organizations',
  'issue_entity_days',
  'issue_entity_last',
] as const;

/** How often a process looks at the growing tables' change counters at most. */
export const STATISTICS_CHECK_MS = 5_000;
/** A table is analysed again once this many rows changed since its last ANALYZE, plus 10% of its rows. */
export const STATISTICS_MIN_CHANGES = 1_000;
/** pg_try_advisory_xact_lock(key, hashtext(table)): one ANALYZE of a table at a time across processes. */
const ANALYZE_LOCK = 0x50494d41;

/**
 * Keeps planner statistics current while a run grows the tables, as autovacuum would (autovacuum may be off, as on
 * the bench machines, or not come round within a long import). Without statistics a lookup of a batch's 200 ids
 * was planned as a scan of the whole table (PostgreSQL's default selectivity for `= ANY` of an unanalysed column):
 * every batch read every comment, so the analyze phase grew with the square of the import (bench/RESULTS.md,
 * issue 15). Import batches and analysis pages call `refresh()`; at most one check per STATISTICS_CHECK_MS per
 * process, an ANALYZE only for a table that changed by more than 10% (+1,000 rows) since the last one, so a run
 * analyses each table a logarithmic number of times in its growth. Failures are logged, never a batch's failure.
 */
@Injectable()
export class PlannerStatistics {
  /** STATISTICS_CHECK_MS; specs make it 0. */
  checkEveryMs = STATISTICS_CHECK_MS;
  private lastCheck = -Infinity;
  private checking: Promise<void> | null = null;
  private readonly logger = new Logger(PlannerStatistics.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Analyses the growing tables that changed enough; a no-op when checked less than STATISTICS_CHECK_MS ago. */
  async refresh(): Promise<void> {
    if (this.checking) return this.checking;
    if (Date.now() < this.lastCheck + this.checkEveryMs) return;
    this.lastCheck = Date.now();
    this.checking = this.analyzeChanged().finally(() => (this.checking = null));
    return this.checking;
  }

  /** The growing tables that changed by more than 10% (+ STATISTICS_MIN_CHANGES rows) since their last ANALYZE. */
  async stale(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ table: string }>>(
      `SELECT relname AS table FROM pg_stat_user_tables
        WHERE schemaname = current_schema() AND relname = ANY($1::text[])
          AND n_mod_since_analyze > $2 + 0.1 * n_live_tup
        ORDER BY relname`,
      [GROWING_TABLES, STATISTICS_MIN_CHANGES],
    );
    return rows.map((r) => r.table);
  }

  private async analyzeChanged(): Promise<void> {
    try {
      for (const table of await this.stale()) {
        // One process analyses a table at a time: the others go on with their batch (the lock is not waited for).
        await this.dataSource.transaction(async (manager) => {
          const [got] = await manager.query<Array<{ ok: boolean }>>(
            `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok`,
            [ANALYZE_LOCK, table],
          );
          if (got?.ok) await manager.query(`ANALYZE ${table}`);
        });
      }
    } catch (error) {
      this.logger.warn(`planner statistics not refreshed: ${errorMessage(error)}`);
    }
  }
}
