import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PRICING } from './llm.constants';
import { CallUsage, Pricing } from './pricing/pricing';
import {
  UsageByDayRow,
  UsageByModelRow,
  UsageByRunRow,
  UsageRepository,
  UsageSumsRow,
} from './repositories/usage.repository';

/** One billed API call (a realtime message or a succeeded batch request). */
export interface BilledCall {
  model: string;
  batch: boolean;
  batchId?: string | null;
  usage: CallUsage;
}

/** What the calls were made for: the run, and the ticket when they analysed one. */
export interface UsageContext {
  runId: string | null;
  ticketId: number | null;
}

/** The ledger summed since a time: in all, by UTC day and model, by model, and by run (latest 100). */
export interface UsageSummary {
  totals: UsageSumsRow | undefined;
  byDay: UsageByDayRow[];
  byModel: UsageByModelRow[];
  byRun: UsageByRunRow[];
}

/**
 * The cost ledger: every billed Claude call, of analysis and of clustering, is recorded here with its price (from
 * `model-prices.json`; unknown when the model has none). The only writer of `analysis_usage`.
 */
@Injectable()
export class UsageLedger {
  private readonly logger = new Logger(UsageLedger.name);
  private readonly unpriced = new Set<string>();

  constructor(
    private readonly usage: UsageRepository,
    @Inject(PRICING) private readonly pricing: Pricing,
  ) {}

  /** Records billed calls, in the caller's transaction when `manager` is given. */
  async record(calls: readonly BilledCall[], context: UsageContext, manager?: EntityManager): Promise<void> {
    if (!calls.length) return;
    await this.usage.insert(
      calls.map((c) => ({
        runId: context.runId,
        ticketId: context.ticketId,
        model: c.model,
        batch: c.batch,
        batchId: c.batchId ?? null,
        inputTokens: c.usage.inputTokens,
        outputTokens: c.usage.outputTokens,
        cacheWrite5mTokens: c.usage.cacheWrite5mTokens,
        cacheWrite1hTokens: c.usage.cacheWrite1hTokens,
        cacheReadTokens: c.usage.cacheReadTokens,
        costUsd: this.cost(c),
      })),
      manager,
    );
  }

  /** USD of one call, or null when the model has no price (logged once per model). */
  cost(call: BilledCall): number | null {
    const cost = this.pricing.cost(call.model, call.usage, call.batch);
    if (cost === null && !this.unpriced.has(call.model)) {
      this.unpriced.add(call.model);
      this.logger.warn(`No price for model ${call.model} in model-prices.json: its cost is recorded as unknown`);
    }
    return cost;
  }

  /** Whether the price table knows this model. */
  priced(model: string): boolean {
    return this.pricing.knows(model);
  }

  /** The ledger's sums since `from` (the costs view). */
  async summarySince(from: Date): Promise<UsageSummary> {
    const totals = await this.usage.totalsSince(from);
    const byDay = await this.usage.byDayAndModelSince(from);
    const byModel = await this.usage.byModelSince(from);
    const byRun = await this.usage.byRunSince(from, 100);
    return { totals, byDay, byModel, byRun };
  }
}
