import { Body, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBadGatewayResponse } from '@nestjs/swagger';
import { Roles } from '@app/auth/auth.constants';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { UuidPipe } from '@app/common/param-pipes';
import {
  CreateExternalIssueRequest,
  ExternalIssueResponse,
  LinkExternalIssueRequest,
  TrackerSyncResponse,
  TrackersResponse,
} from './dto/external-issue.dto';
import { TrackersService } from './trackers.service';
import { ApiController } from '@app/common/api-controller';

@ApiController('trackers')
export class TrackersController {
  constructor(private readonly trackers: TrackersService) {}

  /** The trackers configured in the environment (a cluster can be filed in these). */
  @Get('trackers')
  listTrackers(): TrackersResponse {
    return { providers: this.trackers.configured() };
  }

  /**
   * Files the cluster in Jira or Linear: its name, summary, counts, up to 3 verbatim quotes and links to its
   * tickets in the console. Replaces a link the cluster had. Audited. Editors and admins.
   */
  @Roles('editor')
  @Post('clusters/:id/external-issue')
  @HttpCode(HttpStatus.CREATED)
  @ApiBadGatewayResponse({ description: 'The tracker refused or failed (its message says why)' })
  createExternalIssue(
    @Param('id', UuidPipe) id: string,
    @Body() body: CreateExternalIssueRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ExternalIssueResponse> {
    return this.trackers.create(id, body.provider, user);
  }

  /** Links an existing Jira or Linear issue (checked by reading it: unknown → 400). Audited. Editors and admins. */
  @Roles('editor')
  @Put('clusters/:id/external-issue')
  @ApiBadGatewayResponse({ description: 'The tracker refused or failed (its message says why)' })
  linkExternalIssue(
    @Param('id', UuidPipe) id: string,
    @Body() body: LinkExternalIssueRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ExternalIssueResponse> {
    return this.trackers.link(id, body.provider, body.key, user);
  }

  /** Reads every linked issue's status back now (it also runs every 15 minutes); done → cluster fixed. Admins. */
  @Roles('admin')
  @Post('trackers/sync')
  @HttpCode(HttpStatus.OK)
  syncTrackers(): Promise<TrackerSyncResponse> {
    return this.trackers.sync();
  }
}
