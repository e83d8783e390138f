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
