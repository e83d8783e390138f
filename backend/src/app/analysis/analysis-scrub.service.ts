import { Injectable, OnModuleInit } from '@nestjs/common';
import { TicketScrubHooks } from '@app/tickets/ticket-scrub.hooks';
import { IssueRepository } from './repositories/issue.repository';
import { TicketAnalysisRepository } from './repositories/ticket-analysis.repository';

/**
 * When tickets are scrubbed (redacted in Zendesk), what analysis kept of their text goes with them, in the scrub's
 * own transaction: issue summaries, details and quotes, and the analysis records' reasons.
 */
@Injectable()
export class AnalysisScrubService implements OnModuleInit {
  constructor(
    private readonly hooks: TicketScrubHooks,
    private readonly issues: IssueRepository,
    private readonly analyses: TicketAnalysisRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(async (ticketIds, tx) => {
      await this.analyses.scrubForTickets(tx, ticketIds);
      await this.issues.scrubForTickets(tx, ticketIds);
    });
  }
}
