import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AnalysisOutcome, AnalysisTicket, BilledCall } from './analyzer';
import { AnalysisUsage } from './entities/analysis-usage.entity';
import { Issue } from './entities/issue.entity';
import { TicketAnalysis } from './entities/ticket-analysis.entity';
import { PRICING } from './analysis.constants';
import { Pricing } from './pricing/pricing';
import { findVerbatim } from './quotes/verbatim';

export interface RecordContext {
  runId: string | null;
  analyzer: 'claude' | 'local';
  model: string;
  batchId?: string | null;
}

/**
 * Writes analysis results: the analysis record, the cost ledger (one row per billed call), the ticket's issues
 * (replacing earlier ones) with verified quotes, and `analyzed_hash` — the last only for a successful analysis,
 * so failed tickets stay pending and the next run retries them.
 */
@Injectable()
export class AnalysisRecordsService {
  private readonly logger = new Logger(AnalysisRecordsService.name);
  private readonly unpriced = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PRICING) private readonly pricing: Pricing,
  ) {}

  async record(ticket: AnalysisTicket, outcome: AnalysisOutcome, ctx: RecordContext): Promise<TicketAnalysis> {
    const sources = [ticket.subject, ...ticket.messages.map((m) => m.body)];
    const issues = outcome.issues.map((issue) => {
      const quote = issue.quote ? findVerbatim(issue.quote, sources) : null;
      const flags = issue.quote ? (quote ? [] : ['quote_not_verbatim']) : ['quote_missing'];
      return { ...issue, quote, quoteVerified: quote !== null, flags };
    });
    const totals = outcome.calls.reduce(
      (t, c) => {
        t.input += c.usage.inputTokens;
        t.output += c.usage.outputTokens;
        t.write += c.usage.cacheWrite5mTokens + c.usage.cacheWrite1hTokens;
        t.read += c.usage.cacheReadTokens;
        const cost = this.cost(c);
        t.cost = t.cost === null || cost === null ? null : t.cost + cost;
        return t;
      },
      { input: 0, output: 0, write: 0, read: 0, cost: 0 as number | null },
    );
    return this.dataSource.transaction(async (manager) => {
      const analysis = await manager.getRepository(TicketAnalysis).save(
        manager.getRepository(TicketAnalysis).create({
          ticketId: ticket.zendeskId,
          runId: ctx.runId,
          analyzer: ctx.analyzer,
          model: ctx.model,
          status: outcome.status,
          reason: outcome.reason.trim() || outcome.status,
          contentHash: ticket.contentHash,
          inputTokens: totals.input,
          outputTokens: totals.output,
          cacheWriteTokens: totals.write,
          cacheReadTokens: totals.read,
          costUsd: outcome.calls.length ? totals.cost : 0,
          calls: outcome.calls.length,
          batchId: ctx.batchId ?? null,
        }),
      );
      await this.ledger(manager, outcome.calls, ctx.runId, ticket.zendeskId);
      if (outcome.status !== 'failed') {
        await manager.delete(Issue, { ticketId: ticket.zendeskId });
        if (issues.length)
          await manager.insert(
            Issue,
            issues.map((i) => ({
              ticketId: ticket.zendeskId,
              analysisId: analysis.id,
              category: i.category,
              subcategory: i.subcategory,
              issueType: i.issueType,
              severity: i.severity,
              summary: i.summary.slice(0, 200),
              detail: i.detail,
              quote: i.quote,
              quoteVerified: i.quoteVerified,
              flags: i.flags,
              confidence: i.confidence,
              platform: i.platform ?? null,
              userSegment: i.userSegment?.slice(0, 100) ?? null,
              hasWorkaround: i.hasWorkaround ?? null,
              businessImpact: i.businessImpact ?? null,
              ticketCreatedAt: ticket.createdAt,
            })),
          );
        // Only if the text is still what was analysed: a ticket changed meanwhile stays pending.
        await manager.query(`UPDATE tickets SET analyzed_hash = $2 WHERE zendesk_id = $1 AND content_hash = $2`, [
          ticket.zendeskId,
          ticket.contentHash,
        ]);
      }
      return analysis;
    });
  }

  /** Billed calls whose answer is not used (e.g. a batch result for a ticket that changed meanwhile). */
  async recordUsageOnly(calls: BilledCall[], runId: string | null, ticketId: number | null): Promise<void> {
    await this.ledger(this.dataSource.manager, calls, runId, ticketId);
  }

  private async ledger(manager: EntityManager, calls: BilledCall[], runId: string | null, ticketId: number | null) {
    if (!calls.length) return;
    await manager.insert(
      AnalysisUsage,
      calls.map((c) => ({
        runId,
        ticketId,
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
    );
  }

  private cost(call: BilledCall): number | null {
    const cost = this.pricing.cost(call.model, call.usage, call.batch);
    if (cost === null && !this.unpriced.has(call.model)) {
      this.unpriced.add(call.model);
      this.logger.warn(`No price for model ${call.model} in model-prices.json: its cost is recorded as unknown`);
    }
    return cost;
  }
}
