import { Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { PageQuery } from '@app/common/pagination';
import { RunPageResponse, RunResponse, SyncStatusResponse, TriggerResponse } from './dto/run.response';
import { TriggerQuery } from './dto/trigger.query';
import { SyncService } from './sync.service';
import { ApiController, mapPage, StartsRun, UuidParam } from '@app/common/api-controller';

@ApiController('sync', 'sync')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  /** Starts a run now: sync from the saved cursor, or re-sync the last `backfillDays` days. Editors and admins. */
  @StartsRun(Post('trigger'), 'A run is already in progress, or Zendesk is not configured')
  @HttpCode(HttpStatus.ACCEPTED)
  async triggerSync(@Query() query: TriggerQuery, @CurrentUser() user: AuthenticatedUser): Promise<TriggerResponse> {
    return { runId: await this.sync.trigger(query.backfillDays, user) };
  }

  /** The current run's phase and progress, the last run, the next scheduled run and totals. */
  @Get('status')
  syncStatus(): Promise<SyncStatusResponse> {
    return this.sync.status();
  }

  /** Run history, newest first. */
  @Get('runs')
  async listRuns(@Query() query: PageQuery): Promise<RunPageResponse> {
    return mapPage(await this.sync.list(query), RunResponse.from);
  }

  @Get('runs/:id')
  async getRun(@UuidParam() id: string): Promise<RunResponse> {
    return RunResponse.from(await this.sync.get(id));
  }
}
