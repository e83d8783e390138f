import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { PROVIDERS } from '../tracker.types';

export class CreateExternalIssueRequest {
  @ApiProperty({ enum: PROVIDERS })
  @IsIn(PROVIDERS, { message: 'provider must be one of: jira, linear' })
  provider!: 'jira' | 'linear';
}

export class LinkExternalIssueRequest extends CreateExternalIssueRequest {
  /** The issue's key, e.g. `PIM-12` (Jira) or `ENG-12` (Linear). */
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z][A-Za-z0-9_]*-\d+$/, { message: 'key must be an issue key such as PIM-12' })
  key!: string;
}

export { ExternalIssueResponse } from '@app/issues/dto/cluster.response';

export class TrackerSyncResponse {
  /** Linked issues read back. */
  checked!: number;
  /** Clusters marked fixed because their issue reached done. */
  fixed!: number;
  /** Issues that could not be read (their `syncError` says why). */
  failed!: number;
}

export class TrackersResponse {
  /** The trackers configured (in the environment), e.g. `["jira"]`. */
  @ApiProperty({ enum: ['jira', 'linear'], isArray: true })
  providers!: string[];
}
