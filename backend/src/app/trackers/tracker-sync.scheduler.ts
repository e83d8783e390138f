import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startCronJob, stopCronJob } from '@app/common/cron';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { ClusterDecorations } from '@app/issues/cluster-decorations';
import { TrackersService } from './trackers.service';

export const TRACKER_SYNC_JOB = 'tracker-sync';
const EVERY_15_MINUTES = '*/15 * * * *';

/**
 * Every 15 minutes, the linked issues' statuses are read back (in API processes, when a tracker is configured).
 * Also registers the `externalIssue` field of cluster answers with the issues module.
 */
@Injectable()
export class TrackerSyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TrackerSyncScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly trackers: TrackersService,
    decorations: ClusterDecorations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    decorations.register(async (ids) => {
      const issues = await this.trackers.ofClusters(ids);
      return new Map(ids.map((id) => [id, { externalIssue: issues.get(id) ?? null }]));
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.processRole === 'worker' || !this.trackers.configured().length) return;
    const schedule = { cronTime: EVERY_15_MINUTES, timeZone: this.config.sync.timezone };
    startCronJob(this.registry, TRACKER_SYNC_JOB, schedule, () => void this.tick());
  }

  onApplicationShutdown(): void {
    stopCronJob(this.registry, TRACKER_SYNC_JOB);
  }

  private async tick(): Promise<void> {
    try {
      const result = await this.trackers.sync();
      if (result.fixed || result.failed)
        this.logger.log(`tracker sync: ${result.checked} read, ${result.fixed} fixed, ${result.failed} failed`);
    } catch (error) {
      this.logger.warn(`tracker sync failed: ${errorMessage(error)}`);
    }
  }
}
