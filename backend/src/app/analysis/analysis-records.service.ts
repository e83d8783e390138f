import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AnalysisOutcome, AnalysisTicket, BilledCall } from './analyzer';
import { Issue } from './entities/issue.entity';
import { TicketAnalysis } from './entities/ticket-analysis.entity';
import { UsageLedger } from '../llm/usage-ledger.service';
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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: UsageLedger,
  ) {}

  async record(ticket: AnalysisTicket, outcome: AnalysisOutcome, ctx: RecordContext): Promise<TicketAnalysis> {
    const issues = verifiedIssues(ticket, outcome);
    const totals = outcome.calls.reduce(
      (t, c) => {
        t.input += c.usage.inputTokens;
        t.output += c.usage.outputTokens;
        t.write += c.usage.cacheWrite5mTokens + c.usage.cacheWrite1hTokens;
        t.read += c.usage.cacheReadTokens;
        const cost = this.ledger.cost(c);
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
      await this.ledger.record(outcome.calls, { runId: ctx.runId, ticketId: ticket.zendeskId }, manager);
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
      ticket_id: ticket.zendeskId,
      status: outcome.status,
      reason: outcome.reason.trim() || outcome.status,
      content_hash: ticket.contentHash,
    }));
    const issues = entries.flatMap(({ ticket, outcome }, k) => {
      if (outcome.status === 'failed') return [];
      return verifiedIssues(ticket, outcome).map((i) => {
        return {
          ticket_id: ticket.zendeskId,
          analysis_id: analyses[k]!.id,
          category: i.category,
          subcategory: i.subcategory,
          issue_type: i.issueType,
          severity: i.severity,
          summary: i.summary.slice(0, 200),
          detail: i.detail,
          quote: i.quote,
          quote_verified: i.quoteVerified,
          flags: i.flags,
          confidence: i.confidence,
          platform: i.platform ?? null,
          user_segment: i.userSegment?.slice(0, 100) ?? null,
          has_workaround: i.hasWorkaround ?? null,
          business_impact: i.businessImpact ?? null,
          ticket_created_at: ticket.createdAt,
        };
      });
    });
    const done = entries.filter((e) => e.outcome.status !== 'failed').map((e) => e.ticket);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO ticket_analyses (id, ticket_id, run_id, analyzer, model, status, reason, content_hash, cost_usd,
                                      calls, batch_id)
         SELECT x.id, x.ticket_id, $2, $3, $4, x.status, x.reason, x.content_hash, 0, 0, $5
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, ticket_id bigint, status text, reason text, content_hash text)`,
        [JSON.stringify(analyses), ctx.runId, ctx.analyzer, ctx.model, ctx.batchId ?? null],
      );
      if (!done.length) return;
      await manager.query(`DELETE FROM issues WHERE ticket_id = ANY($1::bigint[])`, [done.map((t) => t.zendeskId)]);
      if (issues.length)
        await manager.query(
          `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail, quote,
                               quote_verified, flags, confidence, platform, user_segment, has_workaround,
                               business_impact, ticket_created_at)
           SELECT x.ticket_id, x.analysis_id, x.category, x.subcategory, x.issue_type, x.severity, x.summary, x.detail,
                  x.quote, x.quote_verified, ARRAY(SELECT jsonb_array_elements_text(x.flags)), x.confidence, x.platform,
                  x.user_segment, x.has_workaround, x.business_impact, x.ticket_created_at
             FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id bigint, analysis_id uuid, category text, subcategory text,
                  issue_type text, severity text, summary text, detail text, quote text, quote_verified boolean,
                  flags jsonb, confidence real, platform text, user_segment text, has_workaround boolean,
                  business_impact text, ticket_created_at timestamptz)`,
          [JSON.stringify(issues)],
        );
      // Only where the text is still what was analysed: a ticket changed meanwhile stays pending.
      await manager.query(
        `UPDATE tickets t SET analyzed_hash = x.hash
           FROM unnest($1::bigint[], $2::text[]) AS x(id, hash)
          WHERE t.zendesk_id = x.id AND t.content_hash = x.hash`,
        [done.map((t) => t.zendeskId), done.map((t) => t.contentHash)],
      );
    });
  }

  /** Billed calls whose answer is not used (e.g. a batch result for a ticket that changed meanwhile). */
  async recordUsageOnly(calls: BilledCall[], runId: string | null, ticketId: number | null): Promise<void> {
    await this.ledger.record(calls, { runId, ticketId });
  }
}

/** The outcome's issues with their quotes checked against the ticket: kept only when verbatim, else flagged. */
function verifiedIssues(ticket: AnalysisTicket, outcome: AnalysisOutcome) {
  const sources = [ticket.subject, ...ticket.messages.map((m) => m.body)];
  return outcome.issues.map((issue) => {
    const quote = issue.quote ? findVerbatim(issue.quote, sources) : null;
    const flags = issue.quote ? (quote ? [] : ['quote_not_verbatim']) : ['quote_missing'];
    return { ...issue, quote, quoteVerified: quote !== null, flags };
  });
}
