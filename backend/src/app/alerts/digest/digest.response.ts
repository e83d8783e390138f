export class DigestClusterResponse {
  id!: string;
  name!: string;
  issueCount!: number;
  /** Issues of tickets created in the last 7 days. */
  count7d!: number;
  trendPct!: number | null;
  uniqueCustomers!: number;
  severityMax!: string | null;
  /** The latest verified verbatim customer quote, or null. */
  quote!: string | null;
  /** The cluster's page in the console. */
  url!: string;
}

export class DigestResponse {
  /** The week covered: [from, to). */
  from!: Date;
  to!: Date;
  /** The most reported clusters of the week. */
  top!: DigestClusterResponse[];
  /** Clusters first seen this week. */
  new!: DigestClusterResponse[];
  /** Clusters growing week over week (≥ 50%, at least 3 issues this week). */
  rising!: DigestClusterResponse[];
  /** Fixed clusters that got new tickets this week (regression alerts). */
  regressions!: DigestClusterResponse[];
}
