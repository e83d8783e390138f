import { TicketAnalysisResponse, TicketIssueResponse } from '@app/analysis/dto/ticket-analysis.response';
import { TicketThreadResponse } from '@app/tickets/dto/ticket.response';

/** `GET /api/tickets/{id}`: the ticket and its thread (tickets module) with its last analysis (analysis module). */
export class TicketDetailResponse extends TicketThreadResponse {
  /** The product issues the last analysis found. */
  issues!: TicketIssueResponse[];
  /** The last analysis (whatever its outcome); null until a run has analysed the ticket. */
  analysis!: TicketAnalysisResponse | null;
}
