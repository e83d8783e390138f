import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { TicketSyncService } from '@app/zendesk/ticket-sync.service';
import { PipelineQueue } from './queue/pipeline-queue';
import { RunsService } from './runs.service';
import { startCronJob, stopCronJob } from '@app/common/cron';
import { errorMessage } from '@app/common/errors';

export const SYNC_JOB = 'nightly-sync';

/**
 * The nightly run (SYNC_CRON in SYNC_TIMEZONE). A tick only creates and enqueues a run; the run's unique
 * schedule key makes N API replicas create one run per tick. Registered through SchedulerRegistry because the
 * expression comes from the validated config, not from an import-time constant.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly runs: RunsService,
    private readonly queue: PipelineQueue,
    private readonly ticketSync: TicketSyncService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processRole === 'worker') return;
    const schedule = { cronTime: this.config.sync.cron, timeZone: this.config.sync.timezone };
    startCronJob(this.registry, SYNC_JOB, schedule, (job) => void this.tick(job.lastDate() ?? new Date()));
  }

  onApplicationShutdown(): void {
    stopCronJob(this.registry, SYNC_JOB);
  }

  nextRunAt(): Date | null {
    if (!this.registry.doesExist('cron', SYNC_JOB)) return null;
    const next = this.registry.getCronJob(SYNC_JOB).nextDate();
    return next ? next.toJSDate() : null;
  }

  /** Creates the run of one tick (at most once across replicas) and enqueues it. */
  async tick(at: Date): Promise<string | null> {
    if (!this.ticketSync.configured) return null;
    const tick = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    try {
      const run = await this.runs.create({ kind: 'sync', trigger: 'schedule', scheduleKey: `sync:${tick}` });
      if (!run) return null;
      await this.queue.enqueue(run.id);
      this.logger.log(`scheduled run ${run.id} for ${tick}`);
      return run.id;
    } catch (error) {
      this.logger.error(`scheduled run for ${tick} not created: ${errorMessage(error)}`);
      return null;
    }
  }
}
