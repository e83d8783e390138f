import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startCronJob, stopCronJob } from '@app/common/cron';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { AccountsService } from './accounts.service';

export const ACCOUNT_FEED_JOB = 'nightly-accounts';

/** The nightly account refresh (ACCOUNT_FEED_CRON in SYNC_TIMEZONE): the organization fields, then the feed URL. */
@Injectable()
export class AccountFeedScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const registry = this.registry;
    if (!registry || this.config.processRole === 'worker' || registry.doesExist('cron', ACCOUNT_FEED_JOB)) return;
    const schedule = { cronTime: this.config.accounts.feedCron, timeZone: this.config.sync.timezone };
    startCronJob(registry, ACCOUNT_FEED_JOB, schedule, () => void this.accounts.nightly());
  }

  onApplicationShutdown(): void {
    stopCronJob(this.registry, ACCOUNT_FEED_JOB);
  }
}
