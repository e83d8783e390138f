import { TableMaintenance } from '@app/database/table-maintenance';
import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@app/accounts/accounts.module';
import { AlertsModule } from '@app/alerts/alerts.module';
import { AnalysisModule } from '@app/analysis/analysis.module';
import { AnalysisService } from '@app/analysis/analysis.service';
import { AnalysisStep } from '@app/analysis/analysis.step';
import { AppConfig } from '@app/config/app-config';
import { ZendeskModule } from '@app/zendesk/zendesk.module';
import { TicketsModule } from '@app/tickets/tickets.module';
import { AuthModule } from '@app/auth/auth.module';
import { ClusterStep } from '@app/issues/clustering/cluster.step';
import { ClusteringService } from '@app/issues/clustering/clustering.service';
import { IssuesModule } from '@app/issues/issues.module';
import { Run } from './entities/run.entity';
import { PIPELINE_STEPS, PipelineService, PipelineStep } from './pipeline.service';
import { BullPipelineQueue } from './queue/bull.queue';
import { PipelineProcessor } from './queue/pipeline.processor';
import { RunChunksService } from './chunks/run-chunks.service';
import { RunChunkRepository } from './repositories/run-chunk.repository';
import { RunRepository } from './repositories/run.repository';
import { StoredTotalsRepository } from './repositories/stored-totals.repository';
import { SharedAnalysisService } from './chunks/shared-analysis.service';
import { SharedAnalysisStep } from './chunks/shared-analysis.step';
import { InProcessQueue } from './queue/in-process.queue';
import { PIPELINE_QUEUE_NAME, PipelineQueue } from './queue/pipeline-queue';
import { RunLeaseService } from './run-lease.service';
import { RunReaperService } from './run-reaper.service';
import { RunsService } from './runs.service';
import { SyncController } from './sync.controller';
import { SyncScheduler } from './sync.scheduler';
import { SyncService } from './sync.service';
import { DemoDataService } from './demo-data.service';
import { ImportUploadsModule } from './uploads/import-uploads.module';

/**
 * The pipeline: runs, queues, the processor, the nightly scheduler and the pipeline. With REDIS_URL the queue is Bull and
 * processes with PROCESS_ROLE worker or all take jobs; without it runs execute in-process.
 */
@Module({})
export class PipelineModule {
  static forRoot(config: AppConfig): DynamicModule {
    const takesJobs = config.processRole !== 'api';
    const queueProviders: Provider[] = config.redisUrl
      ? [
          BullPipelineQueue,
          { provide: PipelineQueue, useExisting: BullPipelineQueue },
          RunChunkRepository,
          RunChunksService,
          SharedAnalysisService,
          ...(takesJobs ? [PipelineProcessor] : []),
        ]
      : [InProcessQueue, { provide: PipelineQueue, useExisting: InProcessQueue }];
    return {
      module: PipelineModule,
      imports: [
        TypeOrmModule.forFeature([Run]),
        AuthModule,
        ZendeskModule,
        AnalysisModule,
        IssuesModule,
        AlertsModule,
        AccountsModule,
        ScheduleModule.forRoot(),
        ImportUploadsModule,
        TicketsModule,
        ...(config.redisUrl
          ? [
              BullModule.forRoot({ redis: config.redisUrl, prefix: config.redisPrefix }),
              BullModule.registerQueue({ name: PIPELINE_QUEUE_NAME }),
            ]
          : []),
      ],
      controllers: config.processRole === 'worker' ? [] : [SyncController],
      providers: [
        RunRepository,
        StoredTotalsRepository,
        RunsService,
        RunLeaseService,
        RunReaperService,
        PipelineService,
        TableMaintenance,
        SyncScheduler,
        SyncService,
        DemoDataService,
        ...queueProviders,
        {
          provide: PIPELINE_STEPS,
          inject: [
            AnalysisService,
            RunRepository,
            ClusteringService,
            ...(config.redisUrl ? [SharedAnalysisService] : []),
          ],
          useFactory: (
            analysis: AnalysisService,
            runs: RunRepository,
            clustering: ClusteringService,
            shared?: SharedAnalysisService,
          ): PipelineStep[] => [
            // With Redis every free worker process shares the analyze phase; without it, this process does it all.
            shared
              ? new SharedAnalysisStep(shared)
              : new AnalysisStep(analysis, (runId, errors) => runs.addErrors(runId, errors)),
            new ClusterStep(clustering),
          ],
        },
      ],
      exports: [RunsService, PipelineQueue, SyncService],
    };
  }
}
