import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import { standingCluster } from '@app/issues/cluster.filters';
import { reportedTicket } from '@app/tickets/ticket.filters';

/** Clusters a PM closed are out of the emerging/spike/critical rules (the regression rule watches fixed ones). */
const OPEN_CLUSTER = `c.active AND ${standingCluster('c')} AND c.pm_status NOT IN ('fixed', 'wont_fix')`;
/** An issue that counts: visible, of a ticket that is a report of its own. */
const COUNTED_ISSUE = `${visibleIssue('i')} AND ${reportedTicket('t')}`;

export interface EmergingRow {
  clusterId: string;
  issueCount: number;
  firstSeen: Date;
}

export interface DailyCountRow {
  clusterId: string;
  /** Whole days back from now: 0 = the last 24 hours. */
  day: number;
  tickets: number;
}

export interface CriticalRow {
  clusterId: string;
  tickets: number;
  latest: Date;
}

export interface RegressionRow {
  clusterId: string;
  fixedAt: Date;
  tickets: number;
  firstAfter: Date;
}

/** What a message says about a cluster. */
export interface ClusterContextRow {
  id: string;
  name: string;
  issueCount: number;
  ticketCount: number;
  count7d: number;
  countPrior7d: number;
  trendPct: number | null;
  uniqueCustomers: number;
  severityMax: string | null;
  quote: string | null;
  customers: string[];
  /** The linked tracker issue (Jira, Linear…), when a PM set one. */
  externalUrl: string | null;
}

/**
 * Read-only signals over clusters, issues and tickets (other modules' tables, through their filter fragments) that
 * the alert rules evaluate. Writes to those tables go through their modules' services.
 */
@Injectable()
export class ClusterSignalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Open clusters first seen in the last `days` days with at least `minIssues` issues. */
  async emerging(minIssues: number, days = 7): Promise<EmergingRow[]> {
    const rows: Array<{ id: string; issue_count: number; first_seen: Date }> = await this.dataSource.query(
      `SELECT c.id, c.issue_count, c.first_seen FROM clusters c
        WHERE ${OPEN_CLUSTER} AND c.first_seen >= now() - make_interval(days => $2) AND c.issue_count >= $1`,
      [minIssues, days],
    );
    return rows.map((r) => ({ clusterId: r.id, issueCount: Number(r.issue_count), firstSeen: r.first_seen }));
  }

  /**
   * The clustering's merge proposals between the given clusters (pairs of one category with alike centroids that
   * no PM or Claude judged different): the evidence that two emerging clusters are one problem.
   */
  async mergeProposals(clusterIds: string[]): Promise<Array<[string, string]>> {
    if (clusterIds.length < 2) return [];
    const rows: Array<{ cluster_id: string; candidate_id: string }> = await this.dataSource.query(
      `SELECT cluster_id, candidate_id FROM cluster_merge_proposals
        WHERE cluster_id = ANY($1::uuid[]) AND candidate_id = ANY($1::uuid[])`,
      [clusterIds],
    );
    return rows.map((r) => [r.cluster_id, r.candidate_id]);
  }

  /**
   * Distinct tickets per cluster per day (24-hour windows back from now) over the last `days` + 1 days, for open
   * clusters first seen before the window's last week (younger ones are the emerging rule's).
   */
  async dailyCounts(days = 28): Promise<DailyCountRow[]> {
    const rows: Array<{ cluster_id: string; day: number; tickets: number }> = await this.dataSource.query(
      `SELECT i.cluster_id, floor(extract(epoch FROM now() - i.ticket_created_at) / 86400)::int AS day,
              count(DISTINCT i.ticket_id)::int AS tickets
         FROM issues i
         JOIN clusters c ON c.id = i.cluster_id
         JOIN tickets t ON t.zendesk_id = i.ticket_id
        WHERE ${OPEN_CLUSTER} AND ${COUNTED_ISSUE}
          AND c.first_seen < now() - interval '7 days'
          AND i.ticket_created_at > now() - make_interval(days => $1 + 1) AND i.ticket_created_at <= now()
          AND c.id IN (SELECT i2.cluster_id FROM issues i2
                        WHERE i2.ticket_created_at > now() - interval '1 day' AND ${visibleIssue('i2')})
        GROUP BY 1, 2`,
      [days],
    );
    return rows.map((r) => ({ clusterId: r.cluster_id, day: Number(r.day), tickets: Number(r.tickets) }));
  }

  /** Open clusters with a critical-severity issue from a ticket of the last `days` days. */
  async critical(days = 7): Promise<CriticalRow[]> {
    const rows: Array<{ cluster_id: string; tickets: number; latest: Date }> = await this.dataSource.query(
      `SELECT i.cluster_id, count(DISTINCT i.ticket_id)::int AS tickets, max(i.ticket_created_at) AS latest
         FROM issues i
         JOIN clusters c ON c.id = i.cluster_id
         JOIN tickets t ON t.zendesk_id = i.ticket_id
        WHERE ${OPEN_CLUSTER} AND ${COUNTED_ISSUE} AND i.severity = 'critical'
          AND i.ticket_created_at >= now() - make_interval(days => $1)
        GROUP BY 1`,
      [days],
    );
    return rows.map((r) => ({ clusterId: r.cluster_id, tickets: Number(r.tickets), latest: r.latest }));
  }

  /**
   * Clusters a PM marked fixed that have tickets created after the fix date. The fix date is when the status was
   * last set to fixed (the audit log of cluster edits), or the date that entry names (`fixedAt`: a tracker's done
   * date); without such an entry, the cluster's last update.
   */
  async regressions(): Promise<RegressionRow[]> {
    const rows: Array<{ id: string; fixed_at: Date; tickets: number; first_after: Date }> = await this.dataSource.query(
      `WITH fixed AS (
         SELECT c.id, COALESCE(
                  (SELECT COALESCE((a.after ->> 'fixedAt')::timestamptz, a.created_at) FROM audit_log a
                    WHERE a.entity_type = 'cluster' AND a.entity_id = c.id::text AND a.after ->> 'pmStatus' = 'fixed'
                    ORDER BY a.created_at DESC, a.id DESC LIMIT 1),
                  c.updated_at) AS fixed_at
           FROM clusters c WHERE c.pm_status = 'fixed' AND ${standingCluster('c')})
       SELECT f.id, f.fixed_at, count(DISTINCT i.ticket_id)::int AS tickets, min(i.ticket_created_at) AS first_after
         FROM fixed f
         JOIN issues i ON i.cluster_id = f.id
         JOIN tickets t ON t.zendesk_id = i.ticket_id
        WHERE ${COUNTED_ISSUE} AND i.ticket_created_at > f.fixed_at
        GROUP BY f.id, f.fixed_at`,
    );
    return rows.map((r) => ({
      clusterId: r.id,
      fixedAt: r.fixed_at,
      tickets: Number(r.tickets),
      firstAfter: r.first_after,
    }));
  }

  /** Name, counts, trend, the latest verified verbatim quote and the most affected customers of each cluster. */
  async context(clusterIds: string[]): Promise<ClusterContextRow[]> {
    if (!clusterIds.length) return [];
    const rows: Array<{
      id: string;
      name: string;
      issue_count: number;
      ticket_count: number;
      count_7d: number;
      count_prior_7d: number;
      trend_pct: string | null;
      unique_customers: number;
      severity_max: string | null;
      quote: string | null;
      customers: string[] | null;
      external_url: string | null;
    }> = await this.dataSource.query(
      `SELECT c.id, c.name, c.issue_count, c.ticket_count, c.count_7d, c.count_prior_7d, c.trend_pct,
              c.unique_customers, c.severity_max, c.external_url,
              (SELECT i.quote FROM issues i
                WHERE i.cluster_id = c.id AND ${visibleIssue('i')} AND i.quote_verified AND i.quote <> ''
                ORDER BY i.ticket_created_at DESC, i.id LIMIT 1) AS quote,
              ARRAY(SELECT o.name FROM issues i
                      JOIN tickets t ON t.zendesk_id = i.ticket_id
                      JOIN zendesk_organizations o ON o.id = t.organization_id
                     WHERE i.cluster_id = c.id AND ${COUNTED_ISSUE} AND o.name <> ''
                     GROUP BY o.name ORDER BY count(*) DESC, o.name LIMIT 5) AS customers
         FROM clusters c WHERE c.id = ANY($1::uuid[])`,
      [clusterIds],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      issueCount: Number(r.issue_count),
      ticketCount: Number(r.ticket_count),
      count7d: Number(r.count_7d),
      countPrior7d: Number(r.count_prior_7d),
      trendPct: r.trend_pct === null ? null : Number(r.trend_pct),
      uniqueCustomers: Number(r.unique_customers),
      severityMax: r.severity_max,
      quote: r.quote,
      customers: r.customers ?? [],
      externalUrl: r.external_url,
    }));
  }

  /** A cluster's PM notes (the regression line is appended to them). */
  async pmNotes(clusterId: string): Promise<string | undefined> {
    const rows: Array<{ pm_notes: string }> = await this.dataSource.query(
      `SELECT pm_notes FROM clusters WHERE id = $1`,
      [clusterId],
    );
    return rows[0]?.pm_notes;
  }
}
