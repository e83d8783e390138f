import type { AlertKind } from '../alert.types';
import type { AlertRow } from '../repositories/alert.repository';
import type { ClusterContextRow } from '../repositories/cluster-signals.repository';

/** What every channel says about one alert. */
export interface AlertMessage {
  alertId: string;
  kind: AlertKind;
  clusterId: string;
  clusterName: string;
  createdAt: Date;
  /** One sentence on what triggered it. */
  headline: string;
  trigger: Record<string, unknown>;
  counts: { issues: number; tickets: number; last7d: number; prior7d: number; trendPct: number | null };
  /** The trend in words, e.g. "+150% week over week". */
  trend: string;
  /** The latest verified verbatim quote of a ticket (customer text: escape it). */
  quote: string | null;
  uniqueCustomers: number;
  customers: string[];
  /** The cluster's page in the console. */
  url: string;
  /** The linked tracker issue, if any. */
  externalUrl: string | null;
}

export const KIND_LABEL: Record<AlertKind, string> = {
  emerging: 'Emerging problem',
  spike: 'Spike',
  critical: 'Critical issue',
  regression: 'Regression',
};

const day = (value: unknown) => (value ? new Date(value as string).toISOString().slice(0, 10) : '?');

function headline(kind: AlertKind, t: Record<string, unknown>): string {
  switch (kind) {
    case 'emerging':
      return `A new problem: ${t['issueCount']} issues since it was first seen on ${day(t['firstSeen'])}.${siblingText(t)}`;
    case 'spike':
      return (
        `${t['count24h']} tickets in the last 24 hours against a median of ${t['baselineMedian']} a day over the ` +
        `${t['baselineDays']} days before (robust z = ${t['z']}).`
      );
    case 'critical':
      return `${t['criticalTickets7d']} ticket(s) with a critical-severity issue in the last 7 days.`;
    case 'regression':
      return (
        `Marked fixed on ${day(t['fixedAt'])}, it has ${t['ticketsAfterFix']} new ticket(s) created after the fix: ` +
        `the cluster is reopened.`
      );
  }
}

/** Sibling clusters of the same new problem (the clustering proposes merging them), counted in the headline. */
function siblingText(t: Record<string, unknown>): string {
  const siblings = Array.isArray(t['siblings']) ? (t['siblings'] as Array<{ issueCount?: number }>) : [];
  if (!siblings.length) return '';
  const issues = siblings.reduce((n, s) => n + Number(s.issueCount ?? 0), 0);
  return (
    ` ${issues} more issue(s) in ${siblings.length} similar new cluster(s) proposed for merging with it ` +
    `(one alert for them all).`
  );
}

export function trendText(trendPct: number | null, last7d: number): string {
  if (trendPct === null) return last7d ? `${last7d} this week, none the week before` : 'no tickets this week';
  return `${trendPct >= 0 ? '+' : ''}${trendPct}% week over week`;
}

export function buildMessage(alert: AlertRow, cluster: ClusterContextRow, consoleUrl: string): AlertMessage {
  return {
    alertId: alert.id,
    kind: alert.kind,
    clusterId: alert.clusterId,
    clusterName: cluster.name,
    createdAt: alert.createdAt,
    headline: headline(alert.kind, alert.trigger),
    trigger: alert.trigger,
    counts: {
      issues: cluster.issueCount,
      tickets: cluster.ticketCount,
      last7d: cluster.count7d,
      prior7d: cluster.countPrior7d,
      trendPct: cluster.trendPct,
    },
    trend: trendText(cluster.trendPct, cluster.count7d),
    quote: cluster.quote,
    uniqueCustomers: cluster.uniqueCustomers,
    customers: cluster.customers,
    url: `${consoleUrl.replace(/\/+$/, '')}/clusters/${encodeURIComponent(alert.clusterId)}`,
    externalUrl: cluster.externalUrl,
  };
}
