import { ClusterResponse } from './dto/cluster.response';
import { ClusterBriefResponse } from './dto/issues-summary.response';

export const CLUSTER_COLUMNS = `c.id, c.seq, c.category, c.subcategory, c.name, c.summary, c.keyphrases, c.named_by,
  c.issue_count, c.ticket_count, c.unique_customers, c.first_seen, c.last_seen, c.count_7d, c.count_prior_7d,
  c.trend_pct, c.emerging, c.severity_max, c.active, c.pm_status, c.pm_notes, c.owner, c.external_url,
  c.locked_fields, c.merged_into, c.created_at, c.updated_at`;

const date = (v: unknown) => (v ? new Date(v as string) : null);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function clusterOf(r: Record<string, any>): ClusterResponse {
  return {
    id: r['id'],
    name: r['name'],
    summary: r['summary'],
    keyphrases: r['keyphrases'] ?? [],
    namedBy: r['named_by'],
    category: r['category'],
    subcategory: r['subcategory'],
    issueCount: r['issue_count'],
    ticketCount: r['ticket_count'],
    uniqueCustomers: r['unique_customers'],
    firstSeen: date(r['first_seen']),
    lastSeen: date(r['last_seen']),
    count7d: r['count_7d'],
    countPrior7d: r['count_prior_7d'],
    trendPct: num(r['trend_pct']),
    emerging: r['emerging'],
    severityMax: r['severity_max'],
    active: r['active'],
    pmStatus: r['pm_status'],
    pmNotes: r['pm_notes'],
    owner: r['owner'],
    externalUrl: r['external_url'],
    lockedFields: r['locked_fields'] ?? [],
    mergedInto: r['merged_into'],
    createdAt: new Date(r['created_at']),
    updatedAt: new Date(r['updated_at']),
  };
}

export function briefOf(r: Record<string, any>): ClusterBriefResponse {
  return {
    id: r['id'],
    name: r['name'],
    category: r['category'],
    issueCount: r['issue_count'],
    count7d: r['count_7d'],
    countPrior7d: r['count_prior_7d'],
    trendPct: num(r['trend_pct']),
    emerging: r['emerging'],
    uniqueCustomers: r['unique_customers'],
    pmStatus: r['pm_status'],
  };
}
