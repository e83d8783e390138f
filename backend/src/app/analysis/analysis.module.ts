import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@app/auth/auth.module';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { LlmModule } from '@app/llm/llm.module';
import { UsageLedger } from '@app/llm/usage-ledger.service';
import { TicketsModule } from '@app/tickets/tickets.module';
import { AnalysisRecordsService } from './analysis-records.service';
import { AnalysisTicketsService } from './analysis-tickets.service';
import { AnalysisService } from './analysis.service';
import { AnalysisScrubService } from './analysis-scrub.service';
import { ANALYZER, Analyzer } from './analyzer';
import { ClaudeAnalyzer } from './claude/claude-analyzer';
import { CostsController } from './costs/costs.controller';
import { CostsService } from './costs/costs.service';
import { AnalysisBatch } from './entities/analysis-batch.entity';
import { Issue } from './entities/issue.entity';
import { TicketAnalysis } from './entities/ticket-analysis.entity';
import { LocalAnalyzer } from './local/local-analyzer';
import { TaxonomyController } from './taxonomy/taxonomy.controller';
import { TaxonomyRecord } from './taxonomy/taxonomy.entity';
import { TaxonomyService } from './taxonomy/taxonomy.service';
import { ReanalysisService } from './reanalysis.service';
import { AnalysisBatchRepository } from './repositories/analysis-batch.repository';
import { AnalysisTicketRepository } from './repositories/analysis-ticket.repository';
import { IssueRepository } from './repositories/issue.repository';
import { TicketAnalysisRepository } from './repositories/ticket-analysis.repository';
import { AnalysisSettingsController } from './settings/analysis-settings.controller';
import { AnalysisSettingsService } from './settings/analysis-settings.service';
import { AppSetting } from './settings/app-setting.entity';

/**
 * Analysis: the analyzer port (`claude` with ANTHROPIC_API_KEY, else `local`), taxonomy, the analysis mode and
 * model settings, analysis records, issues (`IssueRepository` is exported for the issues module) and the costs view
 * of the LLM layer's usage ledger. The pipeline runs it as its analyze phase.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([TicketAnalysis, Issue, AnalysisBatch, TaxonomyRecord, AppSetting]),
    AuthModule,
    LlmModule,
    TicketsModule,
  ],
  controllers: [TaxonomyController, AnalysisSettingsController, CostsController],
  providers: [
    AnalysisScrubService,
    {
      provide: ANALYZER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Analyzer =>
        config.analysis.apiKey
          ? new ClaudeAnalyzer({
              apiKey: config.analysis.apiKey,
              baseUrl: config.analysis.baseUrl,
              model: config.analysis.model,
            })
          : new LocalAnalyzer(),
    },
    AnalysisService,
    ReanalysisService,
    AnalysisRecordsService,
    AnalysisTicketsService,
    TaxonomyService,
    AnalysisSettingsService,
    CostsService,
    TicketAnalysisRepository,
    IssueRepository,
    AnalysisBatchRepository,
    AnalysisTicketRepository,
  ],
  exports: [AnalysisService, TaxonomyService, ReanalysisService, AnalysisSettingsService, IssueRepository],
})
export class AnalysisModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalysisModule.name);

  constructor(
    @Inject(ANALYZER) private readonly analyzer: Analyzer,
    private readonly ledger: UsageLedger,
  ) {}

  /** Checks the configured model in the background: a wrong id is logged now and fails analysis runs, not boot. */
  onApplicationBootstrap(): void {
    if (!this.analyzer.models) {
      this.logger.log('Analyzer: local (set ANTHROPIC_API_KEY to analyse with Claude)');
      return;
    }
    if (!this.ledger.priced(this.analyzer.model))
      this.logger.warn(
        `ANALYSIS_MODEL ${this.analyzer.model} has no price in model-prices.json: costs will be unknown`,
      );
    Promise.resolve(this.analyzer.check?.()).then(
      () => this.logger.log(`Analyzer: ${this.analyzer.name}, model ${this.analyzer.model}`),
      (error: unknown) => this.logger.error(errorMessage(error)),
    );
  }
}
