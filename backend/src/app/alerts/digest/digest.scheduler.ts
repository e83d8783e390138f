import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startCronJob, stopCronJob } from '@app/common/cron';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { DigestService } from './digest.service';

export const DIGEST_JOB = 'weekly-digest';

/**
 * Sends the weekly digest at DIGEST_CRON (in SYNC_TIMEZONE), from API processes. Every replica's cron fires; the
 * tick's scheduled time is claimed in the database, so one digest goes out per tick however many replicas run.
 */
@Injectable()
export class DigestScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DigestScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly digest: DigestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processRole === 'worker') return;
    // The scheduled time of the coming tick (the cron library restarts its timer before calling onTick, so the
    // tick's own time is the one read before it fired, not `nextDate()` inside it; a late timer keeps its key).
    let scheduled: Date | null = null;
    const schedule = { cronTime: this.config.trackers.digestCron, timeZone: this.config.sync.timezone };
    const job = startCronJob(this.registry, DIGEST_JOB, schedule, () => {
      const at = scheduled ?? new Date();
      scheduled = job.nextDate().toJSDate();
      void this.tick(at);
    });
    scheduled = job.nextDate().toJSDate();
  }

  /** One tick: the digest is sent if this process claims the tick's scheduled time first. */
  async tick(scheduledAt: Date): Promise<string[] | null> {
    try {
      const sent = await this.digest.sendForTick(scheduledAt);
      if (sent) this.logger.log(`weekly digest sent to: ${sent.join(', ') || 'no channel'}`);
      else this.logger.log(`weekly digest of ${scheduledAt.toISOString()} already claimed by another process`);
      return sent;
    } catch (error) {
      this.logger.warn(`weekly digest failed: ${errorMessage(error)}`);
      return null;
    }
  }

  onApplicationShutdown(): void {
    stopCronJob(this.registry, DIGEST_JOB);
  }
}
