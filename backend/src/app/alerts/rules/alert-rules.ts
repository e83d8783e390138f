import type { AlertKind, AlertRules } from '../alert.types';
import type {
  CriticalRow,
  DailyCountRow,
  EmergingRow,
  RegressionRow,
} from '../repositories/cluster-signals.repository';
import { spikeVerdict } from './spike';

/** A condition that holds now on a cluster, with what triggered it (stored with the alert). */
export interface Condition {
  kind: AlertKind;
  clusterId: string;
  trigger: Record<string, unknown>;
}

export interface Signals {
  emerging: EmergingRow[];
  daily: DailyCountRow[];
  critical: CriticalRow[];
  regressions: RegressionRow[];
}

/** Days of history a spike is measured against. */
export const BASELINE_DAYS = 28;

/** The conditions that hold, rule by rule (a disabled rule holds nowhere, so its open alerts clear). */
export function holdingConditions(signals: Signals, rules: AlertRules): Condition[] {
  const out: Condition[] = [];
  if (rules.emerging.enabled)
    for (const row of signals.emerging)
      out.push({
        kind: 'emerging',
        clusterId: row.clusterId,
        trigger: { issueCount: row.issueCount, firstSeen: row.firstSeen, minIssues: rules.emerging.minIssues },
      });
  if (rules.spike.enabled) out.push(...spikes(signals.daily, rules.spike));
  if (rules.critical.enabled)
    for (const row of signals.critical)
      out.push({
        kind: 'critical',
        clusterId: row.clusterId,
        trigger: { criticalTickets7d: row.tickets, latest: row.latest },
      });
  if (rules.regression.enabled)
    for (const row of signals.regressions)
      out.push({
        kind: 'regression',
        clusterId: row.clusterId,
        trigger: { fixedAt: row.fixedAt, ticketsAfterFix: row.tickets, firstTicketAfterFix: row.firstAfter },
      });
  return out;
}

/** Emerging conditions raised as one alert: the largest cluster's, and its sibling clusters of the same problem. */
export interface EmergingGroup {
  primary: Condition;
  siblings: Condition[];
}

/**
 * Groups new emerging conditions whose clusters the clustering itself proposes to merge (a pair in the same
 * category whose centroids are alike, not judged different by a PM or Claude): one planted problem written two ways
 * ("crashes" / "force closes") can form two clusters below the auto-merge bar, and a PM should get one alert for it.
 * Connected pairs make one group (transitively); the primary is the largest cluster (then the oldest, then by id).
 * Conditions of other kinds pass through as groups of one.
 */
export function groupEmerging(
  conditions: Condition[],
  proposals: ReadonlyArray<readonly [string, string]>,
): EmergingGroup[] {
  const emerging = new Map(conditions.filter((c) => c.kind === 'emerging').map((c) => [c.clusterId, c]));
  const parent = new Map<string, string>([...emerging.keys()].map((id) => [id, id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(id, r);
    return r;
  };
  for (const [a, b] of proposals) if (parent.has(a) && parent.has(b)) parent.set(root(a), root(b));
  const byRoot = new Map<string, Condition[]>();
  for (const [id, c] of emerging) byRoot.set(root(id), [...(byRoot.get(root(id)) ?? []), c]);
  const size = (c: Condition) => Number(c.trigger['issueCount'] ?? 0);
  const seen = (c: Condition) => new Date(c.trigger['firstSeen'] as string | Date).getTime();
  const groups = new Map<string, EmergingGroup>();
  for (const members of byRoot.values()) {
    const [primary, ...siblings] = [...members].sort(
      (x, y) => size(y) - size(x) || seen(x) - seen(y) || (x.clusterId < y.clusterId ? -1 : 1),
    ) as [Condition, ...Condition[]];
    groups.set(primary.clusterId, { primary, siblings });
  }
  // In the order given: a group where its primary stood, the other kinds as they were.
  return conditions.flatMap((c) => {
    if (c.kind !== 'emerging') return [{ primary: c, siblings: [] }];
    const group = groups.get(c.clusterId);
    return group ? [group] : [];
  });
}

/** Spike conditions from daily counts: day 0 against days 1..BASELINE_DAYS of the same cluster. */
export function spikes(daily: DailyCountRow[], options: { zThreshold: number; minCount: number }): Condition[] {
  const byCluster = new Map<string, number[]>();
  for (const row of daily) {
    if (row.day < 0 || row.day > BASELINE_DAYS) continue;
    let days = byCluster.get(row.clusterId);
    if (!days) byCluster.set(row.clusterId, (days = new Array<number>(BASELINE_DAYS + 1).fill(0)));
    days[row.day] += row.tickets;
  }
  const out: Condition[] = [];
  for (const [clusterId, days] of byCluster) {
    const verdict = spikeVerdict(days[0] ?? 0, days.slice(1), options);
    if (!verdict.spike) continue;
    const { count, median, mad, z, baselineDays } = verdict;
    out.push({
      kind: 'spike',
      clusterId,
      trigger: {
        count24h: count,
        baselineMedian: median,
        baselineMad: mad,
        baselineDays,
        z,
        zThreshold: options.zThreshold,
      },
    });
  }
  return out;
}
