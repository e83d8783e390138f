import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ticketFrustration, visibleIssue } from '@app/analysis/issue.filters';
import { liveTicket } from '@app/tickets/ticket.filters';
import { standingCluster } from '../cluster.filters';

const SEVERITY_RANK = `CASE i.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** A cluster's figures from its visible issues (all null/absent when it has none), by ticket creation time. */
export interface ClusterFiguresRow {
  id: string;
  merged_into: string | null;
  old_subcategory: string | null;
  issue_count: number | null;
  ticket_count: number | null;
  customers: number | null;
  first_seen: Date | string | null;
  last_seen: Date | string | null;
  c7: number | null;
  prior: number | null;
  baseline: number | null;
  /** 0–4: none, low … critical. */
  severity: number | null;
  subcategory: string | null;
  /** The distinct organizations of its visible issues' live tickets (the impact's affected accounts). */
  organization_ids: Array<string | number> | null;
  /** The mean frustration of its live tickets (null: none scored). */
  frustration: number | null;
}

/** The statistics the stats service computed for a cluster. */
export interface ClusterStats {
  id: string;
  issues: number;
  tickets: number;
  customers: number;
  first: Date | null;
  last: Date | null;
  c7: number;
  prior: number;
  trend: number | null;
  emerging: boolean;
  severity: string | null;
  subcategory: string | null;
  active: boolean;
  organizationIds: string[];
  frustration: number | null;
}

/** A cluster to (re)name. */
export interface NamingCandidate {
  id: string;
  issue_count: number;
  category: string;
  subcategory: string | null;
}

/** A name to write. */
export interface ClusterName {
  id: string;
  name: string;
  summary: string;
  keyphrases: string[];
  by: 'keyphrases' | 'claude';
}

/** The statistics and names of `clusters` (always in the caller's manager: a run's, or a PM action's transaction). */
@Injectable()
export class ClusterStatsRepository {
  /**
   * Figures of the clusters (all standing or active ones when `clusterIds` is omitted): `since[0]` starts the
   * last 7 days, `since[1]` the 7 before, `since[2]` the baseline weeks.
   */
  async figures(
    since: [Date, Date, Date],
    clusterIds: string[] | undefined,
    m: EntityManager,
  ): Promise<ClusterFiguresRow[]> {
    const params: unknown[] = [...since];
    const only = clusterIds ? `AND c.id = ANY($4::uuid[])` : '';
    const onlyIssues = clusterIds ? `AND i.cluster_id = ANY($4::uuid[])` : '';
    if (clusterIds) params.push(clusterIds);
    return m.query(
      `WITH s AS (
         SELECT i.cluster_id,
                count(*)::int AS issue_count,
                count(DISTINCT i.ticket_id)::int AS ticket_count,
                count(DISTINCT COALESCE('o' || t.organization_id::text, 'r' || t.requester_id::text))::int AS customers,
                min(i.ticket_created_at) AS first_seen,
                max(i.ticket_created_at) AS last_seen,
                (count(*) FILTER (WHERE i.ticket_created_at >= $1))::int AS c7,
                (count(*) FILTER (WHERE i.ticket_created_at >= $2 AND i.ticket_created_at < $1))::int AS prior,
                (count(*) FILTER (WHERE i.ticket_created_at >= $3 AND i.ticket_created_at < $1))::int AS baseline,
                max(${SEVERITY_RANK}) AS severity,
                mode() WITHIN GROUP (ORDER BY i.subcategory) AS subcategory,
                array_agg(DISTINCT t.organization_id ORDER BY t.organization_id)
                  FILTER (WHERE ${liveTicket('t')} AND t.organization_id IS NOT NULL) AS organization_ids
           FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
          WHERE i.cluster_id IS NOT NULL AND ${visibleIssue('i')} ${onlyIssues}
          GROUP BY i.cluster_id),
       -- The impact's frustration: the mean over the cluster's live tickets of each one's latest score.
       fr AS (
         SELECT x.cluster_id, avg(${ticketFrustration('x.ticket_id')})::float8 AS frustration
           FROM (SELECT DISTINCT i.cluster_id, i.ticket_id FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
                  WHERE i.cluster_id IS NOT NULL AND ${visibleIssue('i')} AND ${liveTicket('t')} ${onlyIssues}) x
          GROUP BY 1)
       SELECT c.id, c.merged_into, c.subcategory AS old_subcategory, s.*, fr.frustration
         FROM clusters c LEFT JOIN s ON s.cluster_id = c.id LEFT JOIN fr ON fr.cluster_id = c.id
        WHERE (${standingCluster('c')} OR c.active) ${only}`,
      params,
    );
  }

  /** Writes the statistics (`at`: when they were computed). */
  async saveStats(stats: ClusterStats[], at: Date, m: EntityManager): Promise<void> {
    for (let i = 0; i < stats.length; i += 5000) {
      const slice = stats.slice(i, i + 5000);
      const col = <K extends keyof ClusterStats>(key: K) => slice.map((s) => s[key]);
      await m.query(
        `UPDATE clusters c SET issue_count = x.issues, ticket_count = x.tickets, unique_customers = x.customers,
                first_seen = x.first, last_seen = x.last, count_7d = x.c7, count_prior_7d = x.prior,
                trend_pct = x.trend, emerging = x.emerging, severity_max = x.severity, subcategory = x.subcategory,
                active = x.active, stats_at = $14,
                organization_ids = ARRAY(SELECT jsonb_array_elements_text(x.orgs::jsonb)::bigint),
                frustration = x.frustration
           FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::int[],
                       $8::int[], $9::numeric[], $10::boolean[], $11::text[], $12::text[], $13::boolean[],
                       $15::text[], $16::float8[])
                AS x(id, issues, tickets, customers, first, last, c7, prior, trend, emerging, severity, subcategory, active,
                     orgs, frustration)
          WHERE c.id = x.id`,
        [
          col('id'),
          col('issues'),
          col('tickets'),
          col('customers'),
          col('first'),
          col('last'),
          col('c7'),
          col('prior'),
          col('trend'),
          col('emerging'),
          col('severity'),
          col('subcategory'),
          col('active'),
          at,
          slice.map((s) => JSON.stringify(s.organizationIds)),
          col('frustration'),
        ],
      );
    }
  }

  /**
   * Active clusters that need a name, biggest first: never named, or grown to twice the size they were named at
   * (or from one issue to two), unless a PM locked the name; with `keyphraseNamed`, also keyphrase-named ones of 2+.
   */
  async namingCandidates(
    options: { keyphraseNamed: boolean; clusterIds?: string[] },
    m: EntityManager,
  ): Promise<NamingCandidate[]> {
    const { keyphraseNamed, clusterIds } = options;
    return m.query(
      `SELECT id, issue_count, category, subcategory FROM clusters
        WHERE active AND NOT ('name' = ANY(locked_fields)) AND issue_count > 0
          AND (named_at_count = 0 OR issue_count >= 2 * named_at_count OR (named_at_count = 1 AND issue_count >= 2)
               ${keyphraseNamed ? `OR (named_by = 'keyphrases' AND issue_count >= 2)` : ''})
          ${clusterIds ? 'AND id = ANY($1::uuid[])' : ''}
        ORDER BY issue_count DESC, seq`,
      clusterIds ? [clusterIds] : [],
    );
  }

  /** Writes names (never over a name a PM locked meanwhile); `named_at_count` is the size now. */
  async saveNames(names: ClusterName[], m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE clusters c SET name = x.name, summary = x.summary, named_by = x.by, named_at_count = c.issue_count,
              keyphrases = ARRAY(SELECT jsonb_array_elements_text(x.keys::jsonb))
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(id, name, summary, keys, by)
        WHERE c.id = x.id AND NOT ('name' = ANY(c.locked_fields))`,
      [
        names.map((n) => n.id),
        names.map((n) => n.name),
        names.map((n) => n.summary),
        names.map((n) => JSON.stringify(n.keyphrases)),
        names.map((n) => n.by),
      ],
    );
  }
}
