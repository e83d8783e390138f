import { Body, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import {
  CreateExternalIssueRequest,
  ExternalIssueResponse,
  LinkExternalIssueRequest,
  TrackerSyncResponse,
  TrackersResponse,
} from './dto/external-issue.dto';
import { TrackersService } from './trackers.service';
import { AdminRoute, ApiController, EditorRoute, UuidParam } from '@app/common/api-controller';

/** The 502 of a route that calls the tracker. */
const TRACKER_FAILED = 'The tracker refused or failed (its message says why)';

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
  @EditorRoute(Post('clusters/:id/external-issue'), { badGateway: TRACKER_FAILED })
  @HttpCode(HttpStatus.CREATED)
  createExternalIssue(
    @UuidParam() id: string,
    @Body() body: CreateExternalIssueRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ExternalIssueResponse> {
    return this.trackers.create(id, body.provider, user);
  }

  /** Links an existing Jira or Linear issue (checked by reading it: unknown → 400). Audited. Editors and admins. */
  @EditorRoute(Put('clusters/:id/external-issue'), { badGateway: TRACKER_FAILED })
  linkExternalIssue(
    @UuidParam() id: string,
    @Body() body: LinkExternalIssueRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ExternalIssueResponse> {
    return this.trackers.link(id, body.provider, body.key, user);
  }

  /** Reads every linked issue's status back now (it also runs every 15 minutes); done → cluster fixed. Admins. */
  @AdminRoute(Post('trackers/sync'))
  @HttpCode(HttpStatus.OK)
  syncTrackers(): Promise<TrackerSyncResponse> {
    return this.trackers.sync();
  }
}
