import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ZendeskClient } from '../zendesk/client';
import { detectFormat } from '../zendesk/import/ticket-file-reader';
import { TicketImportService } from '../zendesk/import/ticket-import.service';
import { TicketSyncService } from '../zendesk/ticket-sync.service';
import { ZENDESK_CLIENT } from '../zendesk/zendesk.constants';
import { Run } from './entities/run.entity';
import { IssuesCacheService } from '../issues/issues-cache.service';
import { IssuesQueryService } from '../issues/issues-query.service';
import { RunClaim, RunLeaseLostError, RunLeaseService } from './run-lease.service';
import { RunsService } from './runs.service';

/** A step the pipeline runs after sync for the tickets whose text changed (analysis, clustering). */
export interface PipelineStep {
  readonly phase: 'analyze' | 'cluster';
  run(run: Run, report: (done: number, total: number) => Promise<void>): Promise<void>;
}
export const PIPELINE_STEPS = Symbol('PIPELINE_STEPS');

/**
 * One run: sync (or import) → analyze → cluster. Processors only call `execute`; this is where the order lives.
 * Re-executing an interrupted run is safe: sync continues from the saved cursor and every write is idempotent.
 */
@Injectable()
export class PipelineService {
  private readonly logger = new Logger(PipelineService.name);

  constructor(
    private readonly runs: RunsService,
    private readonly leases: RunLeaseService,
    private readonly ticketSync: TicketSyncService,
    private readonly importer: TicketImportService,
    @Inject(ZENDESK_CLIENT) private readonly zendesk: ZendeskClient | null,
    private readonly cache: IssuesCacheService,
    private readonly queries: IssuesQueryService,
    @Optional() @Inject(PIPELINE_STEPS) private readonly steps: PipelineStep[] = [],
  ) {}

  async execute(runId: string): Promise<void> {
    // Null: already done (a duplicate job), held by a live process elsewhere, or failed past RUN_MAX_ATTEMPTS.
    const claim = await this.leases.claim(runId);
    if (!claim) return;
    const { run } = claim;
    try {
      if (run.kind === 'sync') await this.sync(run, claim);
      if (run.kind === 'import') await this.import(run);
      for (const step of this.steps ?? []) {
        claim.check();
        // One statement moves to the phase and resets its counts: nobody reads the new phase with the old counts.
        await this.runs.progress(run.id, { phase: step.phase, done: 0, total: null });
        await this.runs.start(run.id, step.phase);
        await step.run(run, (done, total) => {
          claim.check();
          return this.runs.progress(run.id, { done, total });
        });
      }
      claim.check();
      await claim.finish('succeeded');
    } catch (error) {
      if (error instanceof RunLeaseLostError) {
        // Another process executes the run now (this one hung past its lease): it ends it, not this one.
        this.logger.warn(error.message);
      } else {
        const message = (error as Error)?.message ?? String(error);
        this.logger.error(`run ${run.id} failed: ${message}`);
        await this.runs.addErrors(run.id, [{ message }]);
        await claim.finish('failed', message);
      }
    } finally {
      claim.end();
    }
    // Whatever the run changed (tickets, issues, clusters) is read fresh; the dashboard's first answers are ready.
    await this.cache.invalidate();
    await this.queries.warm().catch((error: Error) => this.logger.warn(`cache warm-up failed: ${error.message}`));
  }

  private async import(run: Run): Promise<void> {
    await this.runs.start(run.id, 'import');
    const file = run.params.file;
    if (!file || !existsSync(file))
      throw new Error(
        `The uploaded file of this import is gone (${run.params.fileName ?? 'unknown'}); upload it again`,
      );
    const format = await detectFormat(file, run.params.fileName ?? file);
    let shift = 0;
    if (run.trigger === 'demo') {
      // The demo data ends on the day it was generated: move it up to today so trends mean something.
      const newest = await this.importer.newestCreatedAt(file, format);
      if (newest) shift = Math.floor((Date.now() - newest.getTime()) / 1000) - 3600;
    }
    let reported = 0;
    const totals = await this.importer.importFile(file, format, {
      source: run.trigger === 'demo' ? 'demo' : 'import',
      shiftDatesBySeconds: shift,
      progress: async (t) => {
        await this.runs.progress(run.id, {
          done: t.rowsImported + t.rowsRejected,
          stats: { rowsImported: t.rowsImported, rowsRejected: t.rowsRejected, ticketsChanged: t.ticketsChanged },
        });
        await this.runs.addErrors(
          run.id,
          t.rejected.slice(reported).map((r) => ({ ref: `line ${r.line}`, message: r.message })),
        );
        reported = t.rejected.length;
      },
    });
    await this.runs.progress(run.id, {
      done: totals.rowsImported + totals.rowsRejected,
      total: totals.rowsImported + totals.rowsRejected,
      stats: {
        rowsImported: totals.rowsImported,
        rowsRejected: totals.rowsRejected,
        ticketsChanged: totals.ticketsChanged,
      },
    });
    await this.runs.addErrors(
      run.id,
      totals.rejected.slice(reported).map((r) => ({ ref: `line ${r.line}`, message: r.message })),
    );
    if (run.trigger !== 'demo') await rm(file, { force: true });
  }

  private async sync(run: Run, claim: RunClaim): Promise<void> {
    await this.runs.start(run.id, 'sync');
    const before = this.zendesk ? { ...this.zendesk.stats } : undefined;
    let reportedErrors = 0;
    await this.ticketSync.sync({
      backfillDays: run.params.backfillDays,
      runId: run.id,
      progress: async (totals) => {
        claim.check();
        const after = this.zendesk?.stats;
        await this.runs.progress(run.id, {
          done: totals.ticketsFetched,
          stats: {
            ticketsFetched: totals.ticketsFetched,
            ticketsChanged: totals.ticketsChanged,
            ticketsUnchanged: totals.ticketsUnchanged,
            ticketsDeleted: totals.ticketsDeleted,
            commentsFetched: totals.commentsFetched,
            usersSynced: totals.usersSynced,
            organizationsSynced: totals.organizationsSynced,
            threadStrategy: totals.threadStrategy,
            ...(before && after
              ? {
                  zendeskRequests: after.requests - before.requests,
                  rateLimited: after.rateLimited - before.rateLimited,
                  retries: after.retries - before.retries,
                }
              : {}),
          },
        });
        await this.runs.addErrors(run.id, totals.errors.slice(reportedErrors));
        reportedErrors = totals.errors.length;
      },
    });
  }
}
