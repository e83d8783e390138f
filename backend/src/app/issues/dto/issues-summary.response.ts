export class CountByKey {
  key!: string;
  count!: number;
}

export class ClusterBriefResponse {
  id!: string;
  name!: string;
  category!: string;
  issueCount!: number;
  count7d!: number;
  countPrior7d!: number;
  trendPct!: number | null;
  emerging!: boolean;
  uniqueCustomers!: number;
  pmStatus!: string;
}

/** The ARR of the accounts that open problems hit (issue 18). */
export class RevenueAtRiskResponse {
  /** ARR of the distinct organizations with tickets in active clusters not fixed nor won't-fix. */
  arr!: number;
  accounts!: number;
  /** Of those, accounts renewing in the next 90 days. */
  renewingAccounts!: number;
  /** ARR of every account (the whole the risk is part of). */
  totalArr!: number;
}

export class IssuesSummaryResponse {
  days!: number;
  from!: Date;
  to!: Date;
  /** Issues of tickets created in the window. */
  issues!: number;
  /** Tickets with at least one issue in the window. */
  tickets!: number;
  /** Distinct organizations (requesters where none) reporting issues in the window. */
  uniqueCustomers!: number;
  byCategory!: CountByKey[];
  bySeverity!: CountByKey[];
  byIssueType!: CountByKey[];
  activeClusters!: number;
  emergingClusters!: number;
  /** Clusters first seen in the window. */
  newClusters!: number;
  /** Most issues in the last 7 days. */
  topClusters!: ClusterBriefResponse[];
  emerging!: ClusterBriefResponse[];
  revenueAtRisk!: RevenueAtRiskResponse;
}
