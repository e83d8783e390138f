import { AccountsModule } from '@app/accounts/accounts.module';
import { AccountChangesListener } from './account-changes.listener';
import { TicketChangesListener } from './ticket-changes.listener';
import { CacheModule, CacheModuleOptions } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysisModule } from '@app/analysis/analysis.module';
import { AuthModule } from '@app/auth/auth.module';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { LlmModule } from '@app/llm/llm.module';
import { TicketsModule } from '@app/tickets/tickets.module';
import { ClusterAiService } from './clustering/cluster-ai.service';
import { ClusterStatsService } from './clustering/cluster-stats.service';
import { ClusteringStateService } from './clustering/clustering-state.service';
import { ClusteringService } from './clustering/clustering.service';
import { ClusteringWriter } from './clustering/clustering-writer';
import { ClusterDecorations } from './cluster-decorations';
import { ClustersController } from './clusters.controller';
import { ClustersQueryService } from './clusters-query.service';
import { ClustersTriageService } from './clusters-triage.service';
import { ClusterMembership } from './entities/cluster-membership.entity';
import { Cluster } from './entities/cluster.entity';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { IssuesCacheService } from './issues-cache.service';
import { sharedStore } from './shared-cache';
import { IssuesController } from './issues.controller';
import { IssuesQueryService } from './issues-query.service';
import { ClusterIssueRepository } from './repositories/cluster-issue.repository';
import { ClusterPairRepository } from './repositories/cluster-pair.repository';
import { ClusterQueryRepository } from './repositories/cluster-query.repository';
import { ClusterStatsRepository } from './repositories/cluster-stats.repository';
import { ClusterRepository } from './repositories/cluster.repository';
import { ClusteringStateRepository } from './repositories/clustering-state.repository';
import { IssueAggregateRepository } from './repositories/issue-aggregate.repository';
import { IssueQueryRepository } from './repositories/issue-query.repository';
import { MineRepository } from './repositories/mine.repository';
import { PlacementRepository } from './repositories/placement.repository';
import { SimilarRepository } from './repositories/similar.repository';
import { SimilarTicketsService } from './similar-tickets.service';

/**
 * Issues and clusters: the clustering phase of runs (the sync module runs `ClusterStep`), trends, PM triage,
 * search, CSV export, and the response cache of summary, trends and list pages (in memory, in front of Redis with
 * REDIS_URL).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Cluster, ClusterMembership]),
    AuthModule,
    AccountsModule,
    AnalysisModule,
    TicketsModule,
    LlmModule,
    // The issues cache's shared level (with Redis): cache-manager over @keyv/redis, see shared-cache.ts.
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): CacheModuleOptions => ({
        stores: config.redisUrl && config.apiCache ? [sharedStore(config.redisUrl)] : [],
      }),
    }),
  ],
  controllers: [IssuesController, ClustersController, ExportController],
  providers: [
    ClusterRepository,
    ClusterIssueRepository,
    ClusterPairRepository,
    PlacementRepository,
    ClusteringStateRepository,
    ClusterStatsRepository,
    IssueQueryRepository,
    IssueAggregateRepository,
    ClusterQueryRepository,
    SimilarRepository,
    MineRepository,
    IssuesCacheService,
    ClusterAiService,
    ClusteringStateService,
    ClusterStatsService,
    ClusteringWriter,
    ClusteringService,
    IssuesQueryService,
    ClustersQueryService,
    ClustersTriageService,
    ExportService,
    SimilarTicketsService,
    ClusterDecorations,
    AccountChangesListener,
    TicketChangesListener,
  ],
  exports: [
    ClusteringService,
    ClustersTriageService,
    IssuesCacheService,
    IssuesQueryService,
    SimilarTicketsService,
    ClustersQueryService,
    ClusterDecorations,
  ],
})
export class IssuesModule {}
