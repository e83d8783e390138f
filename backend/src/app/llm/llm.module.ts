import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysisUsage } from './entities/analysis-usage.entity';
import { PRICING } from './llm.constants';
import { MODEL_PRICES, Pricing } from './pricing/pricing';
import { UsageRepository } from './repositories/usage.repository';
import { UsageLedger } from './usage-ledger.service';

/**
 * What every Claude caller shares (no controllers): the Anthropic client factory, retries and the rate gate,
 * pricing, the usage ledger (`analysis_usage`, written only through `UsageLedger`) and the redactor. Analysis and
 * clustering both use it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AnalysisUsage])],
  providers: [{ provide: PRICING, useFactory: () => new Pricing(MODEL_PRICES) }, UsageRepository, UsageLedger],
  exports: [PRICING, UsageLedger],
})
export class LlmModule {}
