import { Body, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { ClustersTriageService } from './clusters-triage.service';
import { IssuePageResponse, IssueResponse } from './dto/issue.response';
import { IssueTrendsQuery } from './dto/issue-trends.query';
import { IssueTrendsResponse } from './dto/issue-trends.response';
import { IssuesSummaryQuery } from './dto/issues-summary.query';
import { IssuesSummaryResponse } from './dto/issues-summary.response';
import { ListIssuesQuery } from './dto/list-issues.query';
import { MoveIssueRequest } from './dto/move-issue.request';
import { IssuesQueryService } from './issues-query.service';
import { ApiController, EditorRoute, UuidParam } from '@app/common/api-controller';

@ApiController('issues', 'issues')
export class IssuesController {
  constructor(
    private readonly issues: IssuesQueryService,
    private readonly triage: ClustersTriageService,
  ) {}

  /** Issues with filters, full-text search, sort and paging (issues of deleted tickets hidden). */
  @Get()
  listIssues(@Query() query: ListIssuesQuery): Promise<IssuePageResponse> {
    return this.issues.list(query);
  }

  /** Counts of the last `days` days by ticket creation time, top and emerging clusters. */
  @Get('summary')
  getIssuesSummary(@Query() query: IssuesSummaryQuery): Promise<IssuesSummaryResponse> {
    return this.issues.summary(query.days ?? 30);
  }

  /** Daily or weekly issue counts per category, by ticket creation time. */
  @Get('trends')
  getIssueTrends(@Query() query: IssueTrendsQuery): Promise<IssueTrendsResponse> {
    return this.issues.trends(query);
  }

  /** Moves one issue to another cluster; runs and re-analysis keep it there. Editors and admins. */
  @EditorRoute(Post(':id/move'))
  @HttpCode(HttpStatus.OK)
  moveIssue(
    @UuidParam() id: string,
    @Body() body: MoveIssueRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<IssueResponse> {
    return this.triage.move(id, body.clusterId, user);
  }
}
