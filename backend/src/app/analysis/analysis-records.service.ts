import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsageLedger } from '@app/llm/usage-ledger.service';
import { TicketAnalysisMarks } from '@app/tickets/analysis-marks.service';
import { AnalysisOutcome, AnalysisTicket, BilledCall } from './analyzer';
import { TicketAnalysis } from './entities/ticket-analysis.entity';
import { frustrationOf } from './frustration';
import { findVerbatim } from './quotes/verbatim';
import { IssueRepository, NewIssueRow } from './repositories/issue.repository';
import { TicketAnalysisRepository } from './repositories/ticket-analysis.repository';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly analyses: TicketAnalysisRepository,
    private readonly issues: IssueRepository,
    private readonly marks: TicketAnalysisMarks,
    private readonly ledger: UsageLedger,
  ) {}

  async record(ticket: AnalysisTicket, outcome: AnalysisOutcome, ctx: RecordContext): Promise<TicketAnalysis> {
    const totals = this.totals(outcome.calls);
    // Quotes are checked before the transaction opens (CPU work on long threads).
    const issues = outcome.status === 'failed' ? [] : verifiedIssues(ticket, outcome);
    return this.dataSource.transaction(async (manager) => {
      const analysis = await this.analyses.insertOne(manager, {
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
        frustration: frustrationOf(ticket, outcome),
      });
      await this.ledger.record(outcome.calls, { runId: ctx.runId, ticketId: ticket.zendeskId }, manager);
      if (outcome.status !== 'failed') {
        const rows = issues.map((i) => ({ ...i, analysisId: analysis.id }));
        await this.issues.replaceForTickets(manager, [ticket.zendeskId], rows);
        await this.marks.markAnalyzed([ticket], manager);
      }
      return analysis;
    });
  }

  /**
   * The same for many tickets analysed without billed calls (the local analyzer), in one transaction of a few
   * set-based statements instead of six round trips per ticket.
   */
  async recordMany(
    entries: ReadonlyArray<{ ticket: AnalysisTicket; outcome: AnalysisOutcome }>,
    ctx: RecordContext,
  ): Promise<void> {
    if (!entries.length) return;
    if (entries.some((e) => e.outcome.calls.length))
      throw new Error('recordMany is for analyses without billed calls: use record()');
    const analyses = entries.map(({ ticket, outcome }) => ({
      id: randomUUID(),
      ticketId: ticket.zendeskId,
      status: outcome.status,
      reason: outcome.reason.trim() || outcome.status,
      contentHash: ticket.contentHash,
      frustration: frustrationOf(ticket, outcome),
    }));
    const issues = entries.flatMap(({ ticket, outcome }, k) =>
      outcome.status === 'failed'
        ? []
        : verifiedIssues(ticket, outcome).map((i) => ({ ...i, analysisId: analyses[k]!.id })),
    );
    const done = entries.filter((e) => e.outcome.status !== 'failed').map((e) => e.ticket);
    await this.dataSource.transaction(async (manager) => {
      await this.analyses.insertFree(manager, analyses, {
        runId: ctx.runId,
        analyzer: ctx.analyzer,
        model: ctx.model,
        batchId: ctx.batchId ?? null,
      });
      if (!done.length) return;
      await this.issues.replaceForTickets(
        manager,
        done.map((t) => t.zendeskId),
        issues,
      );
      await this.marks.markAnalyzed(done, manager);
    });
  }

  /** Billed calls whose answer is not used (e.g. a batch result for a ticket that changed meanwhile). */
  async recordUsageOnly(calls: BilledCall[], runId: string | null, ticketId: number | null): Promise<void> {
    await this.ledger.record(calls, { runId, ticketId });
  }

  /** Tokens and cost summed over an analysis's calls (the cost is unknown when one call's is). */
  private totals(calls: readonly BilledCall[]) {
    const totals = { input: 0, output: 0, write: 0, read: 0, cost: 0 as number | null };
    for (const c of calls) {
      totals.input += c.usage.inputTokens;
      totals.output += c.usage.outputTokens;
      totals.write += c.usage.cacheWrite5mTokens + c.usage.cacheWrite1hTokens;
      totals.read += c.usage.cacheReadTokens;
      const cost = this.ledger.cost(c);
      totals.cost = totals.cost === null || cost === null ? null : totals.cost + cost;
    }
    return totals;
  }
}

/** The outcome's issues as rows, their quotes checked against the ticket: kept only when verbatim, else flagged. */
function verifiedIssues(ticket: AnalysisTicket, outcome: AnalysisOutcome): Array<Omit<NewIssueRow, 'analysisId'>> {
  const sources = [ticket.subject, ...ticket.messages.map((m) => m.body)];
  return outcome.issues.map((i) => {
    const quote = i.quote ? findVerbatim(i.quote, sources) : null;
    return {
      ticketId: ticket.zendeskId,
      category: i.category,
      subcategory: i.subcategory,
      issueType: i.issueType,
      severity: i.severity,
      summary: i.summary.slice(0, 200),
      detail: i.detail,
      quote,
      quoteVerified: quote !== null,
      flags: i.quote ? (quote ? [] : ['quote_not_verbatim']) : ['quote_missing'],
      confidence: i.confidence,
      platform: i.platform ?? null,
      userSegment: i.userSegment?.slice(0, 100) ?? null,
      hasWorkaround: i.hasWorkaround ?? null,
      businessImpact: i.businessImpact ?? null,
      ticketCreatedAt: ticket.createdAt,
    };
  });
}
