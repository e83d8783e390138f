import { ConflictException, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { PageQuery } from '@app/common/pagination';
import { TicketSyncService } from '@app/zendesk/ticket-sync.service';
import { RunResponse, SyncStatusResponse } from './dto/run.response';
import { Run } from './entities/run.entity';
import { PipelineQueue } from './queue/pipeline-queue';
import { IssuesCacheService } from '@app/issues/issues-cache.service';
import { RunRepository } from './repositories/run.repository';
import { StoredTotalsRepository } from './repositories/stored-totals.repository';
import { RunsService } from './runs.service';
import { SyncScheduler } from './sync.scheduler';
import { ImportUploadsService } from './uploads/import-uploads.service';
import { errorMessage } from '@app/common/errors';

/** What the sync endpoints do: trigger runs, report status and history (RunReaperService resumes interrupted runs). */
@Injectable()
export class SyncService {
  constructor(
    private readonly runs: RunsService,
    private readonly queue: PipelineQueue,
    private readonly ticketSync: TicketSyncService,
    private readonly scheduler: SyncScheduler,
    private readonly runRepository: RunRepository,
    private readonly stored: StoredTotalsRepository,
    private readonly cache: IssuesCacheService,
    private readonly uploads: ImportUploadsService,
  ) {}

  async trigger(backfillDays: number | undefined, user: AuthenticatedUser): Promise<string> {
    if (!this.ticketSync.configured) {
      throw new ConflictException('Zendesk is not configured: set ZENDESK_SUBDOMAIN and credentials, or import a file');
    }
    const run = (await this.runs.create({
      kind: 'sync',
      trigger: 'manual',
      params: { backfillDays },
      requestedBy: user.id,
    }))!;
    await this.queue.enqueue(run.id);
    return run.id;
  }

  /** A run that only analyses (and clusters) what is pending: after a re-analysis request. */
  /**
   * A re-analysis run: the run is created first (409 while another is active, before anything changes), then
   * `mark` marks its tickets, then the run is queued. A failed `mark` ends the run failed with the reason.
   */
  async startAnalysis(
    user: AuthenticatedUser,
    mark: () => Promise<number>,
  ): Promise<{ runId: string; tickets: number }> {
    const run = (await this.runs.create({ kind: 'analyze', trigger: 'reanalyze', requestedBy: user.id }))!;
    let tickets: number;
    try {
      tickets = await mark();
    } catch (error) {
      await this.runRepository.finish(
        run.id,
        'failed',
        `marking tickets for re-analysis failed: ${errorMessage(error)}`,
      );
      throw error;
    }
    await this.queue.enqueue(run.id);
    return { runId: run.id, tickets };
  }

  /**
   * Creates an import run and enqueues it: of a stored upload (ImportUploadsService), or of a file every process
   * has (the bundled demo data). The upload is removed if no run can start (409).
   */
  async startImport(
    source: { upload: string } | { file: string },
    fileName: string,
    user: AuthenticatedUser | null,
    trigger: 'import' | 'demo' = 'import',
  ): Promise<string> {
    let run: Run | null;
    try {
      run = await this.runs.create({
        kind: 'import',
        trigger,
        params: { ...source, fileName },
        requestedBy: user?.id ?? null,
      });
    } catch (error) {
      if ('upload' in source) await this.uploads.remove(source.upload).catch(() => undefined);
      throw error;
    }
    await this.queue.enqueue(run!.id);
    return run!.id;
  }

  async status(): Promise<SyncStatusResponse> {
    const [active, last, totals] = await Promise.all([
      this.runRepository.active(),
      this.runRepository.lastFinished(),
      this.totals(),
    ]);
    return {
      state: active ? (active.status === 'running' ? 'running' : 'queued') : 'idle',
      currentRun: active ? { id: active.id, phase: active.phase, done: active.done, total: active.total } : null,
      lastRun: last ? RunResponse.from(last) : null,
      nextScheduledAt: this.ticketSync.configured ? this.scheduler.nextRunAt() : null,
      zendeskConfigured: this.ticketSync.configured,
      totals,
    };
  }

  list(query: PageQuery) {
    return this.runs.list(query);
  }

  get(id: string) {
    return this.runs.getOrFail(id);
  }

  /** Counted once per cache generation (every run ends one): the runs page polls the status every few seconds. */
  private async totals() {
    return this.cache.wrap('sync:totals', () => this.stored.totals());
  }
}
