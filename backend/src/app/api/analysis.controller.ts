import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ReanalyzeRequest } from '@app/analysis/dto/reanalyze.request';
import { ReanalysisService } from '@app/analysis/reanalysis.service';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { ReanalyzeResponse } from '@app/pipeline/dto/run.response';
import { SyncService } from '@app/pipeline/sync.service';
import { ApiController, StartsRun } from '@app/common/api-controller';

/** `/analysis`: re-analysis of many tickets in one run (marks them in the analysis module, starts a run). */
@ApiController('tickets', 'analysis')
export class AnalysisController {
  constructor(
    private readonly reanalysis: ReanalysisService,
    private readonly sync: SyncService,
  ) {}

  /** Analyses the tickets matching the filters again (all when none is given), in one run. Editors and admins. */
  @StartsRun(Post('reanalyze'))
  @HttpCode(HttpStatus.ACCEPTED)
  async reanalyzeTickets(
    @Body() body: ReanalyzeRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReanalyzeResponse> {
    // Tickets are marked only once the run is sure to start: a 409 leaves every ticket as it was.
    return this.sync.startAnalysis(user, () => this.reanalysis.mark(body));
  }
}
