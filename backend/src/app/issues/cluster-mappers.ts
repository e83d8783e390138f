import { ClusterResponse } from './dto/cluster.response';
import { ClusterBriefResponse } from './dto/issues-summary.response';
import type { ClusterRow } from './repositories/cluster.repository';

const date = (v: Date | string | null) => (v ? new Date(v) : null);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function clusterOf(r: ClusterRow): ClusterResponse {
  return {
    id: r.id,
    name: r.name,
    summary: r.summary,
    keyphrases: r.keyphrases ?? [],
    namedBy: r.named_by,
    category: r.category,
    subcategory: r.subcategory,
    issueCount: r.issue_count,
    ticketCount: r.ticket_count,
    uniqueCustomers: r.unique_customers,
    firstSeen: date(r.first_seen),
    lastSeen: date(r.last_seen),
    count7d: r.count_7d,
    countPrior7d: r.count_prior_7d,
    trendPct: num(r.trend_pct),
    emerging: r.emerging,
    severityMax: r.severity_max,
    active: r.active,
    pmStatus: r.pm_status,
    pmNotes: r.pm_notes,
    owner: r.owner,
    externalUrl: r.external_url,
    lockedFields: r.locked_fields ?? [],
    mergedInto: r.merged_into,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export function briefOf(r: ClusterRow): ClusterBriefResponse {
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    issueCount: r.issue_count,
    count7d: r.count_7d,
    countPrior7d: r.count_prior_7d,
    trendPct: num(r.trend_pct),
    emerging: r.emerging,
    uniqueCustomers: r.unique_customers,
    pmStatus: r.pm_status,
  };
}
