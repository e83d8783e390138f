import { accountImpact, TOTAL_ARR } from '@app/accounts/account.filters';

/**
 * A cluster's impact (issue 18), computed when it is read (from the figures of the last stats refresh and the
 * accounts as they are now), for clusters `c`:
 *
 * - **value** — √(share of all accounts' ARR held by the cluster's affected accounts). The square root keeps a
 *   cluster hitting one large account from hiding every other signal.
 * - **reach** — 1 − e^(−customers/20): distinct organizations (requesters without one); 20 customers ≈ 0.63.
 * - **severity** — the worst issue: critical 1, high 0.7, medium 0.4, low 0.15 (none 0.3).
 * - **trend** — emerging or new this week 1; else 0.5 + growth/200, within 0–1 (+100 % → 1, −100 % → 0).
 * - **frustration** — the mean frustration of its tickets (0.5 when none is scored).
 *
 * `impactScore` = 100 × (0.40 value + 0.20 reach + 0.20 severity + 0.10 trend + 0.10 frustration), 0–100.
 * Affected accounts are the distinct organizations of the live tickets of the cluster's visible issues;
 * `arrAffected` their ARR sum, each organization once.
 */
export const IMPACT_WEIGHTS = { value: 0.4, reach: 0.2, severity: 0.2, trend: 0.1, frustration: 0.1 } as const;

/**
 * Joins that give `imp` (accounts) and `tot` (all accounts' ARR) to a query over `clusters c`. The cluster's
 * organizations and frustration are figures the stats refresh keeps (`c.organization_ids`, `c.frustration`, with
 * the counts, after every run and PM action); the accounts' values are read now, so an account change shows at once.
 */
export const IMPACT_JOINS = `LEFT JOIN LATERAL (${accountImpact('SELECT unnest(c.organization_ids)')}) imp ON true
  CROSS JOIN (${TOTAL_ARR}) tot`;

const VALUE = `CASE WHEN tot.total_arr > 0 THEN sqrt(least(1, imp.arr_affected / tot.total_arr)) ELSE 0 END`;
const REACH = `(1 - exp(-c.unique_customers / 20.0))`;
const SEVERITY = `CASE c.severity_max WHEN 'critical' THEN 1 WHEN 'high' THEN 0.7 WHEN 'medium' THEN 0.4
  WHEN 'low' THEN 0.15 ELSE 0.3 END`;
const TREND = `CASE WHEN c.emerging THEN 1 WHEN c.trend_pct IS NULL THEN CASE WHEN c.count_7d > 0 THEN 1 ELSE 0 END
  ELSE greatest(0, least(1, 0.5 + c.trend_pct::float8 / 200)) END`;
const FRUSTRATION = `coalesce(c.frustration, 0.5)`;
const w = IMPACT_WEIGHTS;
const SCORE = `round((100 * (${w.value} * ${VALUE} + ${w.reach} * ${REACH} + ${w.severity} * ${SEVERITY}
  + ${w.trend} * ${TREND} + ${w.frustration} * ${FRUSTRATION}))::numeric, 1)::float8`;

/** The impact columns (`ClusterImpactColumns`) over `IMPACT_JOINS`. */
export const IMPACT_COLUMNS = `imp.affected_accounts, imp.arr_affected, imp.enterprise_accounts, imp.renewing_accounts,
  c.frustration, (${VALUE})::float8 AS impact_value, ${REACH}::float8 AS impact_reach,
  (${SEVERITY})::float8 AS impact_severity, (${TREND})::float8 AS impact_trend, ${SCORE} AS impact_score`;

/** What `IMPACT_COLUMNS` adds to a cluster row. */
export interface ClusterImpactColumns {
  affected_accounts: number;
  arr_affected: number;
  enterprise_accounts: number;
  renewing_accounts: number;
  frustration: number | null;
  impact_value: number;
  impact_reach: number;
  impact_severity: number;
  impact_trend: number;
  impact_score: number;
}
