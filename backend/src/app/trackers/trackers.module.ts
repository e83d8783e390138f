import { Module } from '@nestjs/common';
import { AlertsModule } from '@app/alerts/alerts.module';
import { AuthModule } from '@app/auth/auth.module';
import { IssuesModule } from '@app/issues/issues.module';
import { ExternalIssueRepository } from './repositories/external-issue.repository';
import { TrackerSyncScheduler } from './tracker-sync.scheduler';
import { TrackersController } from './trackers.controller';
import { TrackersService } from './trackers.service';

/**
 * Jira and Linear: clusters filed there or linked to an issue there, followed to done (which marks the cluster
 * fixed and arms the regression alert). `externalIssue` on cluster answers.
 */
@Module({
  imports: [AuthModule, IssuesModule, AlertsModule],
  controllers: [TrackersController],
  providers: [ExternalIssueRepository, TrackersService, TrackerSyncScheduler],
  exports: [TrackersService],
})
export class TrackersModule {}
