import { ClusterAccountResponse, ClusterImpactResponse, ClusterResponse } from './dto/cluster.response';
import type { ClusterAccountRow } from './repositories/cluster-query.repository';
import { ClusterImpactColumns, IMPACT_WEIGHTS } from './repositories/cluster-impact.sql';
import { ClusterBriefResponse } from './dto/issues-summary.response';
import type { ClusterRow } from './repositories/cluster.repository';

const date = (v: Date | string | null) => (v ? new Date(v) : null);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The parts of the impact score and a sentence naming them, strongest contribution first. */
export function impactOf(i: ClusterImpactColumns | null): ClusterImpactResponse {
  const parts = {
    value: Number(i?.impact_value ?? 0),
    reach: Number(i?.impact_reach ?? 0),
    severity: Number(i?.impact_severity ?? 0),
    trend: Number(i?.impact_trend ?? 0),
    frustration: i?.frustration === null || i?.frustration === undefined ? 0.5 : Number(i.frustration),
  };
  const words: Record<keyof typeof parts, string> = {
    value: 'value (√ share of ARR affected)',
    reach: 'customers reached',
    severity: 'severity',
    trend: 'trend',
    frustration: 'frustration',
  };
  const ranked = (Object.keys(parts) as Array<keyof typeof parts>)
    .map((k) => ({ k, points: 100 * IMPACT_WEIGHTS[k] * parts[k] }))
    .sort((a, b) => b.points - a.points);
  const explanation = ranked
    .map(
      ({ k, points }) =>
        `${words[k]} ${round(parts[k], 2)} × ${Math.round(100 * IMPACT_WEIGHTS[k])} = ${round(points, 1)}`,
    )
    .join('; ');
  return {
    value: round(parts.value),
    reach: round(parts.reach),
    severity: round(parts.severity),
    trend: round(parts.trend),
    frustration: round(parts.frustration),
    explanation: `Impact ${round(Number(i?.impact_score ?? 0), 1)} = ${explanation}.`,
  };
}

/** A cluster, with its impact when the row carries `IMPACT_COLUMNS` (or `impact` gives them). */
export function clusterOf(
  r: ClusterRow | (ClusterRow & ClusterImpactColumns),
  impact?: ClusterImpactColumns | null,
): ClusterResponse {
  const i: ClusterImpactColumns | null = impact ?? ('impact_score' in r ? r : null);
  const affected = i?.affected_accounts ?? 0;
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
    affectedAccounts: affected,
    arrAffected: Number(i?.arr_affected ?? 0),
    enterpriseShare: affected ? round((i?.enterprise_accounts ?? 0) / affected) : 0,
    renewingAccounts: i?.renewing_accounts ?? 0,
    frustration: i?.frustration === null || i?.frustration === undefined ? null : round(Number(i.frustration)),
    impactScore: Number(i?.impact_score ?? 0),
    impact: impactOf(i),
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

export function clusterAccountOf(a: ClusterAccountRow): ClusterAccountResponse {
  return {
    organizationId: Number(a.organization_id),
    name: a.name,
    plan: a.plan,
    segment: a.segment,
    arr: num(a.arr),
    arrAtFirstTicket: num(a.arr_at_first_ticket),
    renewalDate: a.renewal_date,
    ticketCount: a.ticket_count,
    ticketIds: (a.ticket_ids ?? []).map(Number),
  };
}
