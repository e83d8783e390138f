import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { existsSync } from 'node:fs';
import type { ZendeskClient } from '@app/zendesk/client';
import { detectFormat } from '@app/tickets/import/ticket-file-reader';
import { ImportTotals, TicketImportService } from '@app/tickets/import/ticket-import.service';
import { TicketSyncService } from '@app/zendesk/ticket-sync.service';
import { ZENDESK_CLIENT } from '@app/zendesk/zendesk.constants';
import { Run, RunStats } from './entities/run.entity';
import { IssuesCacheService } from '@app/issues/issues-cache.service';
import { IssuesQueryService } from '@app/issues/issues-query.service';
import { AccountsService } from '@app/accounts/accounts.service';
import { AlertsService } from '@app/alerts/alerts.service';
import { RunClaim, RunLeaseLostError, RunLeaseService } from './run-lease.service';
import { RunRepository } from './repositories/run.repository';
import { demoDatasetPath } from './demo-dataset';
import { ImportUploadsService } from './uploads/import-uploads.service';
import { errorMessage } from '@app/common/errors';
import { TableMaintenance } from '@app/database/table-maintenance';

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
    private readonly runs: RunRepository,
    private readonly leases: RunLeaseService,
    private readonly ticketSync: TicketSyncService,
    private readonly importer: TicketImportService,
    @Inject(ZENDESK_CLIENT) private readonly zendesk: ZendeskClient | null,
    private readonly cache: IssuesCacheService,
    private readonly queries: IssuesQueryService,
    private readonly uploads: ImportUploadsService,
    private readonly alerts: AlertsService,
    @Optional() @Inject(PIPELINE_STEPS) private readonly steps: PipelineStep[] = [],
    @Optional() private readonly accounts?: AccountsService,
    @Optional() private readonly maintenance?: TableMaintenance,
  ) {}

  async execute(runId: string): Promise<void> {
    // Null: already done (a duplicate job), held by a live process elsewhere, or failed past RUN_MAX_ATTEMPTS.
    const claim = await this.leases.claim(runId);
    if (!claim) return;
    const { run } = claim;
    try {
      if (run.kind === 'sync') await this.sync(run, claim);
      if (run.kind === 'import') await this.import(run);
      // The tickets the run wrote show in the ticket list now, not after analysis and clustering.
      if (run.kind === 'sync' || run.kind === 'import') await this.cache.invalidate();
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
        const message = errorMessage(error);
        this.logger.error(`run ${run.id} failed: ${message}`);
        await this.runs.addErrors(run.id, [{ message }]);
        await claim.finish('failed', message);
      }
    } finally {
      claim.end();
    }
    // Organizations the run synced may carry new account values (ARR, plan, ...) in their fields.
    await this.accounts
      ?.refreshFromZendesk()
      .catch((error: unknown) => this.logger.warn(`account refresh failed: ${errorMessage(error)}`));
    // The lists' plans and index-only counts need the bulk-written tables analysed and their visibility maps set.
    await this.maintenance?.afterRun();
    // Whatever the run changed (tickets, issues, clusters) is read fresh; the dashboard's first answers are ready.
    await this.cache.invalidate();
    await this.queries
      .warm()
      .catch((error: unknown) => this.logger.warn(`cache warm-up failed: ${errorMessage(error)}`));
    // Alerts on what the data now shows (emerging, spike, critical, regression), sent to their channels.
    await this.alerts
      .evaluate(run.id)
      .catch((error: unknown) => this.logger.warn(`alert evaluation failed: ${errorMessage(error)}`));
  }

  private async import(run: Run): Promise<void> {
    const upload = run.params.upload;
    // A run resumed past its import phase: its upload was read, and removed, when that phase ended.
    if (upload && (run.phase === 'analyze' || run.phase === 'cluster')) return;
    await this.runs.start(run.id, 'import');
    try {
      if (upload) {
        // Stored in PostgreSQL by the API: this process reads it from there, wherever it runs.
        await this.uploads.withLocalFile(upload, (path, fileName) => this.importFile(run, path, fileName));
      } else {
        // The demo data ships with every build: this process reads its own copy.
        const file = (run.trigger === 'demo' ? demoDatasetPath() : null) ?? run.params.file;
        if (!file || !existsSync(file))
          throw new Error(
            `The uploaded file of this import is gone (${run.params.fileName ?? 'unknown'}); upload it again`,
          );
        await this.importFile(run, file, run.params.fileName ?? file);
      }
    } finally {
      // Whatever the outcome, the upload has served; so has any an earlier crash left behind.
      if (upload)
        await this.uploads.remove(upload).catch((e: unknown) => this.logger.warn(`upload: ${errorMessage(e)}`));
      await this.uploads.purgeOrphans().catch((e: unknown) => this.logger.warn(`upload purge: ${errorMessage(e)}`));
    }
  }

  private async importFile(run: Run, file: string, fileName: string): Promise<void> {
    const format = await detectFormat(file, fileName);
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
          done: t.rowsImported + t.rowsRejected + t.rowsSkipped,
          stats: importStats(t),
        });
        await this.runs.addErrors(
          run.id,
          t.rejected.slice(reported).map((r) => ({ ref: `line ${r.line}`, message: r.message })),
        );
        reported = t.rejected.length;
      },
    });
    await this.runs.progress(run.id, {
      done: totals.rowsImported + totals.rowsRejected + totals.rowsSkipped,
      total: totals.rowsImported + totals.rowsRejected + totals.rowsSkipped,
      stats: importStats(totals),
    });
    await this.runs.addErrors(
      run.id,
      totals.rejected.slice(reported).map((r) => ({ ref: `line ${r.line}`, message: r.message })),
    );
  }

  private async sync(run: Run, claim: RunClaim): Promise<void> {
    await this.runs.start(run.id, 'sync');
    const before = this.zendesk ? { ...this.zendesk.stats } : undefined;
    // A resumed run (its earlier execution stopped) goes on from its cursor: its counts add to what it had counted.
    const earlier: RunStats = claim.attempt > 1 ? (run.stats ?? {}) : {};
    const add = (key: CountedStat, value: number) => (earlier[key] ?? 0) + value;
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
            ticketsFetched: add('ticketsFetched', totals.ticketsFetched),
            ticketsChanged: add('ticketsChanged', totals.ticketsChanged),
            ticketsUnchanged: add('ticketsUnchanged', totals.ticketsUnchanged),
            ticketsDeleted: add('ticketsDeleted', totals.ticketsDeleted),
            commentsFetched: add('commentsFetched', totals.commentsFetched),
            usersSynced: add('usersSynced', totals.usersSynced),
            organizationsSynced: add('organizationsSynced', totals.organizationsSynced),
            threadStrategy: totals.threadStrategy ?? earlier.threadStrategy ?? null,
            ...(before && after
              ? {
                  zendeskRequests: add('zendeskRequests', after.requests - before.requests),
                  rateLimited: add('rateLimited', after.rateLimited - before.rateLimited),
                  retries: add('retries', after.retries - before.retries),
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

/** Sync counts that add up over a run's executions. */
type CountedStat =
  | 'ticketsFetched'
  | 'ticketsChanged'
  | 'ticketsUnchanged'
  | 'ticketsDeleted'
  | 'commentsFetched'
  | 'usersSynced'
  | 'organizationsSynced'
  | 'zendeskRequests'
  | 'rateLimited'
  | 'retries';

/** What a run shows of an import's counts. */
const importStats = (t: ImportTotals) => ({
  rowsImported: t.rowsImported,
  rowsRejected: t.rowsRejected,
  rowsSkipped: t.rowsSkipped,
  usersKept: t.usersKept,
  ticketsChanged: t.ticketsChanged,
});
