import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PM_STATUSES } from '../entities/cluster.entity';
import { IssueResponse } from './issue.response';
import { TrendPoint } from './issue-trends.response';

/** An issue in Jira or Linear a cluster is filed as (filed and followed by the trackers module). */
export class ExternalIssueResponse {
  @ApiProperty({ enum: ['jira', 'linear'] })
  provider!: string;
  key!: string;
  url!: string;
  /** The tracker's status name as last synced, e.g. "In Progress". */
  status!: string;
  @ApiProperty({ enum: ['todo', 'in_progress', 'done', 'canceled'] })
  statusCategory!: string;
  syncedAt!: Date;
  /** Why the last sync could not read it, or null. */
  syncError!: string | null;
}

export class ClusterResponse {
  id!: string;
  name!: string;
  summary!: string;
  keyphrases!: string[];
  /** Who named it: `keyphrases` (local), `claude`, or `pm`. */
  namedBy!: string;
  category!: string;
  subcategory!: string | null;
  issueCount!: number;
  ticketCount!: number;
  /** Distinct organizations (requesters where a ticket has none). */
  uniqueCustomers!: number;
  firstSeen!: Date | null;
  lastSeen!: Date | null;
  /** Issues of tickets created in the last 7 days / the 7 days before. */
  count7d!: number;
  countPrior7d!: number;
  /** Growth in percent; null when the prior 7 days had none. */
  trendPct!: number | null;
  emerging!: boolean;
  severityMax!: string | null;
  active!: boolean;
  @ApiProperty({ enum: PM_STATUSES })
  pmStatus!: string;
  pmNotes!: string;
  owner!: string | null;
  externalUrl!: string | null;
  /** Fields a PM set that runs never change (`name`, `membership`). */
  lockedFields!: string[];
  mergedInto!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
  /** The Jira or Linear issue the cluster is filed as, with its last synced status (trackers); null when none. */
  @ApiPropertyOptional({ type: () => ExternalIssueResponse, nullable: true })
  externalIssue?: ExternalIssueResponse | null;
  /** Distinct organizations of the live tickets of the cluster's visible issues. */
  affectedAccounts!: number;
  /** The ARR sum of those organizations' accounts (each once; 0 without account values). */
  arrAffected!: number;
  /** Share (0–1) of the affected accounts that are enterprise (segment or plan "enterprise"). */
  enterpriseShare!: number;
  /** Affected accounts whose renewal date is within the next 90 days. */
  renewingAccounts!: number;
  /** Mean frustration (0–1) of the cluster's tickets; null when none is scored. */
  frustration!: number | null;
  /** 0–100: value, reach, severity, trend and frustration combined (see `impact`). */
  impactScore!: number;
  /** Why this rank: each part of the impact score. */
  impact!: ClusterImpactResponse;
}

/**
 * The parts of `impactScore` = 100 × (0.40 value + 0.20 reach + 0.20 severity + 0.10 trend + 0.10 frustration),
 * each 0–1: value = √(share of all accounts' ARR affected); reach = 1 − e^(−customers/20); severity of the worst
 * issue (critical 1, high 0.7, medium 0.4, low 0.15); trend (emerging 1, else 0.5 + growth/200); frustration (0.5
 * when unknown).
 */
export class ClusterImpactResponse {
  value!: number;
  reach!: number;
  severity!: number;
  trend!: number;
  frustration!: number;
  /** The same in words, strongest part first. */
  explanation!: string;
}

export class ClusterAccountResponse {
  organizationId!: number;
  name!: string | null;
  plan!: string | null;
  segment!: string | null;
  /** ARR now. */
  arr!: number | null;
  /** ARR when the first of its tickets in the cluster was created (from the account history; null before it). */
  arrAtFirstTicket!: number | null;
  /** `YYYY-MM-DD`. */
  renewalDate!: string | null;
  ticketCount!: number;
  /** Its tickets in the cluster, newest ids first (20 at most). */
  ticketIds!: number[];
}

export class ClusterPageResponse {
  items!: ClusterResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}

export class ClusterTicketResponse {
  zendeskId!: number;
  /** The id an imported file gave the ticket when it was not a Zendesk id (`TCK-1042`); null otherwise. */
  originalId!: string | null;
  subject!: string;
  status!: string;
  organizationName!: string | null;
  createdAt!: Date;
  zendeskUrl!: string | null;
}

export class MergeCandidateResponse {
  id!: string;
  name!: string;
  issueCount!: number;
  /** Cosine similarity of the centroids. */
  score!: number;
}

export class MembershipEventResponse {
  issueId!: string;
  ticketId!: number;
  fromClusterId!: string | null;
  toClusterId!: string | null;
  reason!: string;
  createdAt!: Date;
}

export class ClusterDetailResponse extends ClusterResponse {
  /** The most recent issues (up to 200) with their quotes. */
  issues!: IssueResponse[];
  /** The tickets of those issues. */
  tickets!: ClusterTicketResponse[];
  /** Daily issue counts of the last 30 days and weekly of the last 26 weeks, by ticket creation time. */
  daily!: TrendPoint[];
  weekly!: TrendPoint[];
  /** Similar clusters the consolidation proposes to merge. */
  mergeCandidates!: MergeCandidateResponse[];
  /** Latest membership changes (PM moves, merges, splits), newest first. */
  history!: MembershipEventResponse[];
  /** The affected accounts (100 at most), highest ARR first, with their tickets in the cluster. */
  accounts!: ClusterAccountResponse[];
}
