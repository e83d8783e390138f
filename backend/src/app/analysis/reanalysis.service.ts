import { Injectable } from '@nestjs/common';
import { TicketAnalysisMarks } from '@app/tickets/analysis-marks.service';
import { ReanalyzeRequest } from './dto/reanalyze.request';
import { TicketAnalysisResponse, TicketIssueResponse } from './dto/ticket-analysis.response';
import { AnalysisTicketRepository } from './repositories/analysis-ticket.repository';
import { IssueRepository } from './repositories/issue.repository';
import { TicketAnalysisRepository } from './repositories/ticket-analysis.repository';

/** Asking for re-analysis, and the analysis view of one ticket. */
@Injectable()
export class ReanalysisService {
  constructor(
    private readonly tickets: AnalysisTicketRepository,
    private readonly analyses: TicketAnalysisRepository,
    private readonly issues: IssueRepository,
    private readonly marks: TicketAnalysisMarks,
  ) {}

  /** Marks matching tickets for analysis by the next run (their analysed hash is cleared). Returns how many. */
  async mark(filter: ReanalyzeRequest): Promise<number> {
    return this.marks.clearAnalyzed(await this.tickets.selectForReanalysis(filter));
  }

  /** The latest analysis of a ticket and its current issues. */
  async forTicket(
    ticketId: number,
  ): Promise<{ analysis: TicketAnalysisResponse | null; issues: TicketIssueResponse[] }> {
    const latest = await this.analyses.latestForTicket(ticketId);
    const issues = await this.issues.forTicket(ticketId);
    const pending = await this.tickets.isPending(ticketId);
    return {
      analysis: latest ? TicketAnalysisResponse.from(latest, Boolean(pending)) : null,
      issues: issues.map(TicketIssueResponse.from),
    };
  }
}
