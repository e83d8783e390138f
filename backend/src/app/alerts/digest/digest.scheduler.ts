import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { errorMessage } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DigestService } from './digest.service';

export const DIGEST_JOB = 'weekly-digest';

/** Sends the weekly digest at DIGEST_CRON (in SYNC_TIMEZONE), from API processes. */
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
    const job = CronJob.from({
      cronTime: this.config.trackers.digestCron,
      timeZone: this.config.sync.timezone,
      onTick: () =>
        void this.digest.send().then(
          (sent) => this.logger.log(`weekly digest sent to: ${sent.join(', ') || 'no channel'}`),
          (error: unknown) => this.logger.warn(`weekly digest failed: ${errorMessage(error)}`),
        ),
      start: true,
    });
    this.registry.addCronJob(DIGEST_JOB, job as never);
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('cron', DIGEST_JOB)) this.registry.deleteCronJob(DIGEST_JOB);
  }
}
