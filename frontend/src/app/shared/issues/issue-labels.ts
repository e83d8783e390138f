import { ClusterResponse, IssueType, ListClusters$Params, ListIssues$Params, Severity } from '@pim/api-client';

export type PmStatus = ClusterResponse['pmStatus'];
export type ClusterSort = NonNullable<ListClusters$Params['sort']>;
export type IssueSort = NonNullable<ListIssues$Params['sort']>;

/** PM statuses in triage order. */
export const PM_STATUSES: readonly PmStatus[] = [
  'new',
  'reviewing',
  'acknowledged',
  'in_progress',
  'fixed',
  'wont_fix',
];

export const PM_STATUS_LABELS: Record<PmStatus, string> = {
  new: 'New',
  reviewing: 'Reviewing',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  fixed: 'Fixed',
  wont_fix: "Won't fix",
};

export const ISSUE_TYPES: readonly IssueType[] = [
  'bug',
  'friction',
  'ux_confusion',
  'feature_request',
  'documentation_gap',
  'data_issue',
];

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export const CLUSTER_SORTS: readonly ClusterSort[] = [
  'issueCount:desc',
  'issueCount:asc',
  'count7d:desc',
  'count7d:asc',
  'trendPct:desc',
  'trendPct:asc',
  'uniqueCustomers:desc',
  'uniqueCustomers:asc',
  'lastSeen:desc',
  'lastSeen:asc',
  'firstSeen:desc',
  'firstSeen:asc',
  'updatedAt:desc',
  'updatedAt:asc',
  'name:asc',
  'name:desc',
  'impactScore:desc',
  'impactScore:asc',
  'arrAffected:desc',
  'arrAffected:asc',
  'affectedAccounts:desc',
  'affectedAccounts:asc',
];

export const ISSUE_SORTS: readonly IssueSort[] = [
  'ticketCreatedAt:desc',
  'ticketCreatedAt:asc',
  'severity:desc',
  'severity:asc',
  'confidence:desc',
  'confidence:asc',
  'category:asc',
  'category:desc',
];

/** Periods (days) a PM picks from; the dashboard and lists default to 30. */
export const PERIODS: readonly number[] = [7, 30, 90];
export const DEFAULT_PERIOD = 30;

/** A `days` query parameter that is one of `PERIODS`, or the default. */
export function periodFrom(value: string | null | undefined, fallback = DEFAULT_PERIOD): number {
  const days = Number(value);
  return PERIODS.includes(days) ? days : fallback;
}

/** "+25%", "−40%", "0%"; "New" when the prior week had none (the API's null). */
export function formatTrend(trendPct: number | null): string {
  if (trendPct === null) {
    return 'New';
  }
  const rounded = Math.round(trendPct);
  if (rounded > 0) {
    return `+${rounded}%`;
  }
  return rounded < 0 ? `−${Math.abs(rounded)}%` : '0%';
}

/** Which way a trend points: growth, decline or flat (new counts as growth). */
export function trendDirection(trendPct: number | null): 'up' | 'down' | 'flat' {
  if (trendPct === null) {
    return 'up';
  }
  const rounded = Math.round(trendPct);
  return rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
}

/** "ux_confusion" → "Ux confusion"; keys from the taxonomy read as words. */
export function humanize(key: string | null | undefined): string {
  if (!key) {
    return '—';
  }
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

/** Start of a local calendar day, `days` before today (for a "last N days" filter). */
export function daysAgo(days: number, now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
}
