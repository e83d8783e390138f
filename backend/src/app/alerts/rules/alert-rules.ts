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
