import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { ReanalyzeRequest } from '../analysis/dto/reanalyze.request';
import { ReanalysisService } from '../analysis/reanalysis.service';
import { Roles } from '../auth/auth.constants';
import { AuthenticatedUser, CurrentUser } from '../auth/authenticated-user';
import { TicketDetailResponse } from '../zendesk/dto/ticket.response';
import { TicketsService } from '../zendesk/tickets.service';
import { ReanalyzeResponse } from './dto/run.response';
import { SyncService } from './sync.service';
import { BigintIdPipe } from '../common/param-pipes';

/** Ticket views and actions that span modules (thread + analysis; re-analysis runs). */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller()
export class ReanalyzeController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly reanalysis: ReanalysisService,
    private readonly sync: SyncService,
  ) {}

  /** One ticket with its thread (public replies and internal notes apart), its issues and its analysis record. */
  @Get('tickets/:zendeskId')
  async getTicket(@Param('zendeskId', BigintIdPipe) zendeskId: number): Promise<TicketDetailResponse> {
    const ticket = await this.tickets.get(zendeskId);
    return Object.assign(ticket, await this.reanalysis.forTicket(zendeskId));
  }

  /** Analyses one ticket again now (a run of its own). Editors and admins. */
  @Roles('editor')
  @Post('tickets/:zendeskId/reanalyze')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: ReanalyzeResponse })
  @ApiConflictResponse({ description: 'A run is already in progress' })
  async reanalyzeTicket(
    @Param('zendeskId', BigintIdPipe) zendeskId: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReanalyzeResponse> {
    await this.tickets.get(zendeskId); // 404 for unknown or deleted tickets
    return this.sync.startAnalysis(user, () => this.reanalysis.mark({ ticketIds: [zendeskId] }));
  }

  /** Analyses the tickets matching the filters again (all when none is given), in one run. Editors and admins. */
  @Roles('editor')
  @Post('analysis/reanalyze')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: ReanalyzeResponse })
  @ApiConflictResponse({ description: 'A run is already in progress' })
  async reanalyzeTickets(
    @Body() body: ReanalyzeRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReanalyzeResponse> {
    // Tickets are marked only once the run is sure to start: a 409 leaves every ticket as it was.
    return this.sync.startAnalysis(user, () => this.reanalysis.mark(body));
  }
}
