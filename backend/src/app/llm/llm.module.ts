import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysisUsage } from './entities/analysis-usage.entity';
import { PRICING } from './llm.constants';
import { MODEL_PRICES, Pricing } from './pricing/pricing';

/**
 * What every Claude caller shares (no controllers): the Anthropic client factory, retries and the rate gate,
 * pricing, the usage ledger (`analysis_usage`) and the redactor. Analysis and clustering both use it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AnalysisUsage])],
  providers: [{ provide: PRICING, useFactory: () => new Pricing(MODEL_PRICES) }],
  exports: [PRICING, TypeOrmModule],
})
export class LlmModule {}
