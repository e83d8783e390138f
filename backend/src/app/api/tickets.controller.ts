import {
  BadRequestException,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { ReanalysisService } from '@app/analysis/reanalysis.service';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { BigintIdPipe } from '@app/common/param-pipes';
import { IssuesCacheService, queryKey } from '@app/issues/issues-cache.service';
import { SimilarTicketsQuery } from '@app/issues/dto/similar-tickets.query';
import { SimilarTicketsResponse } from '@app/issues/dto/similar-tickets.response';
import { SimilarTicketsService } from '@app/issues/similar-tickets.service';
import { ReanalyzeResponse, TriggerResponse } from '@app/pipeline/dto/run.response';
import { SyncService } from '@app/pipeline/sync.service';
import type { StoredUpload } from '@app/pipeline/uploads/import-uploads.service';
import { ListTicketsQuery } from '@app/tickets/dto/list-tickets.query';
import { TicketPageResponse } from '@app/tickets/dto/ticket.response';
import { TicketsService } from '@app/tickets/tickets.service';
import { TicketDetailResponse } from './dto/ticket-detail.response';
import { ApiController, StartsRun } from '@app/common/api-controller';

/** Everything under `/tickets`: the list, one ticket with its analysis, similar tickets, import and re-analysis. */
@ApiController('tickets', 'tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly reanalysis: ReanalysisService,
    private readonly similar: SimilarTicketsService,
    private readonly sync: SyncService,
    private readonly cache: IssuesCacheService,
  ) {}

  /**
   * Synced tickets (deleted ones hidden), newest first, with search and filters. Answers are cached like the issue
   * lists (every page); a run's new tickets show when its import phase ends, deleted or scrubbed ones at once.
   */
  @Get()
  listTickets(@Query() query: ListTicketsQuery): Promise<TicketPageResponse> {
    return this.cache.wrap(queryKey('tickets', query), () => this.tickets.list(query));
  }

  /**
   * Imports tickets from a file (field `file`): a Zendesk export (JSON or one ticket per line), JSONL in the
   * `mine` format, or CSV with a header row, 1 GiB at most (413). The upload is streamed into the database as it
   * arrives, so any worker can run the import; a run then imports it (bad rows are reported by line in the run's
   * errors and skipped) and continues with analysis. 409 while another run is active. Editors and admins.
   */
  @StartsRun(Post('import'))
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  async importTickets(
    @UploadedFile() file: StoredUpload | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TriggerResponse> {
    if (!file) throw new BadRequestException('file is required (multipart field "file")');
    return { runId: await this.sync.startImport({ upload: file.uploadId }, file.fileName, user) };
  }

  /** One ticket with its thread (public replies and internal notes apart), its issues and its analysis record. */
  @Get(':zendeskId')
  async getTicket(@Param('zendeskId', BigintIdPipe) zendeskId: number): Promise<TicketDetailResponse> {
    const ticket = await this.tickets.get(zendeskId);
    return Object.assign(new TicketDetailResponse(), ticket, await this.reanalysis.forTicket(zendeskId));
  }

  /** Tickets most similar to this one by their text (subject weighted, description), shared clusters breaking ties. */
  @Get(':zendeskId/similar')
  listSimilarTickets(
    @Param('zendeskId', BigintIdPipe) zendeskId: number,
    @Query() query: SimilarTicketsQuery,
  ): Promise<SimilarTicketsResponse> {
    return this.similar.similar(zendeskId, query.limit ?? 10);
  }

  /** Analyses one ticket again now (a run of its own). Editors and admins. */
  @StartsRun(Post(':zendeskId/reanalyze'))
  @HttpCode(HttpStatus.ACCEPTED)
  async reanalyzeTicket(
    @Param('zendeskId', BigintIdPipe) zendeskId: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReanalyzeResponse> {
    await this.tickets.get(zendeskId); // 404 for unknown or deleted tickets
    return this.sync.startAnalysis(user, () => this.reanalysis.mark({ ticketIds: [zendeskId] }));
  }
}
