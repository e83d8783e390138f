import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BASELINE_WEEKS, DAY_MS, isEmerging, trendPct, WEEK_MS } from '../trends';
import { CLUSTERING, ClusterEngine } from './cluster-engine';
import { BRIEF_ISSUES, ClusterBrief } from './claude-cluster-judge';
import { CLUSTER_AI_LIMITS, ClusterAiService } from './cluster-ai.service';
import { ClusteringStateService } from './clustering-state.service';

const SEVERITY_RANK = `CASE i.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
const SEVERITIES = ['', 'low', 'medium', 'high', 'critical'];

/**
 * Cluster statistics, by ticket creation time: counts, unique customers (distinct organizations, requesters where
 * a ticket has none), first/last seen, the last 7 days vs the 7 before, trend and emerging; and names.
 */
@Injectable()
export class ClusterStatsService {
  constructor(
    private readonly state: ClusteringStateService,
    private readonly ai: ClusterAiService,
  ) {}

  /** Refreshes the given clusters (all when omitted). Returns how many were updated. */
  async refresh(manager: EntityManager, clusterIds?: string[], now = new Date()): Promise<number> {
    const t = now.getTime();
    const params: unknown[] = [
      new Date(t - WEEK_MS),
      new Date(t - 2 * WEEK_MS),
      new Date(t - WEEK_MS - BASELINE_WEEKS * WEEK_MS),
    ];
    const only = clusterIds ? `AND c.id = ANY($4::uuid[])` : '';
    const onlyIssues = clusterIds ? `AND i.cluster_id = ANY($4::uuid[])` : '';
    if (clusterIds) params.push(clusterIds);
    const rows: Array<Record<string, any>> = await manager.query(
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
                mode() WITHIN GROUP (ORDER BY i.subcategory) AS subcategory
           FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
          WHERE i.cluster_id IS NOT NULL AND NOT i.hidden ${onlyIssues}
          GROUP BY i.cluster_id)
       SELECT c.id, c.merged_into, c.subcategory AS old_subcategory, s.*
         FROM clusters c LEFT JOIN s ON s.cluster_id = c.id
        WHERE (c.merged_into IS NULL OR c.active) ${only}`,
      params,
    );
    if (!rows.length) return 0;
    const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
    const cols = {
      id: [] as string[],
      issues: [] as number[],
      tickets: [] as number[],
      customers: [] as number[],
      first: [] as (Date | null)[],
      last: [] as (Date | null)[],
      c7: [] as number[],
      prior: [] as number[],
      trend: [] as (number | null)[],
      emerging: [] as boolean[],
      severity: [] as (string | null)[],
      subcategory: [] as (string | null)[],
      active: [] as boolean[],
    };
    for (const r of rows) {
      const issueCount = n(r['issue_count']);
      const firstSeen = r['first_seen'] ? new Date(r['first_seen']) : null;
      const c7 = n(r['c7']);
      const prior = n(r['prior']);
      cols.id.push(r['id']);
      cols.issues.push(issueCount);
      cols.tickets.push(n(r['ticket_count']));
      cols.customers.push(n(r['customers']));
      cols.first.push(firstSeen);
      cols.last.push(r['last_seen'] ? new Date(r['last_seen']) : null);
      cols.c7.push(c7);
      cols.prior.push(prior);
      cols.trend.push(trendPct(c7, prior));
      cols.emerging.push(
        issueCount > 0 && isEmerging({ now, firstSeen, issueCount, count7d: c7, countBaseline: n(r['baseline']) }),
      );
      cols.severity.push(SEVERITIES[n(r['severity'])] || null);
      cols.subcategory.push(r['subcategory'] ?? r['old_subcategory'] ?? null);
      cols.active.push(issueCount > 0 && !r['merged_into']);
    }
    for (let i = 0; i < cols.id.length; i += 5000) {
      const sl = <T>(a: T[]) => a.slice(i, i + 5000);
      await manager.query(
        `UPDATE clusters c SET issue_count = x.issues, ticket_count = x.tickets, unique_customers = x.customers,
                first_seen = x.first, last_seen = x.last, count_7d = x.c7, count_prior_7d = x.prior,
                trend_pct = x.trend, emerging = x.emerging, severity_max = x.severity, subcategory = x.subcategory,
                active = x.active, stats_at = $14
           FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::int[],
                       $8::int[], $9::numeric[], $10::boolean[], $11::text[], $12::text[], $13::boolean[])
                AS x(id, issues, tickets, customers, first, last, c7, prior, trend, emerging, severity, subcategory, active)
          WHERE c.id = x.id`,
        [
          sl(cols.id),
          sl(cols.issues),
          sl(cols.tickets),
          sl(cols.customers),
          sl(cols.first),
          sl(cols.last),
          sl(cols.c7),
          sl(cols.prior),
          sl(cols.trend),
          sl(cols.emerging),
          sl(cols.severity),
          sl(cols.subcategory),
          sl(cols.active),
          now,
        ],
      );
    }
    return rows.length;
  }

  /**
   * Names clusters that need it: never named, or grown to twice the size they were named at — unless a PM
   * locked the name. Keyphrases of the most central members and the most central summary always; with Claude,
   * clusters of 2+ issues are then named and summarised by Claude (biggest first, a bounded number per run), and
   * keyphrase-named clusters of 2+ issues are picked up by later runs (a failed call, a key added later).
   */
  async name(
    manager: EntityManager,
    engine: ClusterEngine,
    options: { clusterIds?: string[]; runId?: string | null } = {},
  ): Promise<{ named: number; byClaude: number }> {
    const { clusterIds } = options;
    const claude = this.ai.available;
    const rows: Array<{ id: string; issue_count: number; category: string; subcategory: string | null }> =
      await manager.query(
        `SELECT id, issue_count, category, subcategory FROM clusters
          WHERE active AND NOT ('name' = ANY(locked_fields)) AND issue_count > 0
            AND (named_at_count = 0 OR issue_count >= 2 * named_at_count OR (named_at_count = 1 AND issue_count >= 2)
                 ${claude ? `OR (named_by = 'keyphrases' AND issue_count >= 2)` : ''})
            ${clusterIds ? 'AND id = ANY($1::uuid[])' : ''}
          ORDER BY issue_count DESC, seq`,
        clusterIds ? [clusterIds] : [],
      );
    const ids = rows.map((r) => r.id);
    const info = new Map(rows.map((r) => [r.id, r]));
    let claudeBudget = claude ? CLUSTER_AI_LIMITS.namesPerRun : 0;
    let byClaude = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const members = await this.state.issuesOf(manager, chunk, CLUSTERING.nameSample);
      const byCluster = new Map<string, typeof members>();
      for (const m of members) {
        const list = byCluster.get(m.clusterId!) ?? [];
        list.push(m);
        byCluster.set(m.clusterId!, list);
      }
      const out = {
        id: [] as string[],
        name: [] as string[],
        summary: [] as string[],
        keys: [] as string[],
        by: [] as string[],
      };
      const briefs: ClusterBrief[] = [];
      const centralIds = new Map<string, string[]>();
      for (const id of chunk) {
        const list = byCluster.get(id);
        if (!list?.length) continue;
        const named = engine.name(list);
        out.id.push(id);
        out.name.push(named.name.slice(0, 300));
        out.summary.push(named.summary);
        out.keys.push(JSON.stringify(named.keyphrases));
        out.by.push('keyphrases');
        const r = info.get(id)!;
        if (claudeBudget > 0 && r.issue_count >= 2) {
          claudeBudget--;
          briefs.push({
            id,
            category: r.category,
            subcategory: r.subcategory,
            issueCount: r.issue_count,
            issues: [],
          });
          centralIds.set(
            id,
            named.central.slice(0, BRIEF_ISSUES).map((m) => m.id),
          );
        }
      }
      if (briefs.length) {
        await this.attachIssues(manager, briefs, centralIds);
        const names = await this.ai.name(manager, briefs, options.runId ?? null);
        for (const [id, n] of names) {
          const k = out.id.indexOf(id);
          out.name[k] = n.name.slice(0, 300);
          out.summary[k] = n.summary;
          out.by[k] = 'claude';
          byClaude++;
        }
      }
      await manager.query(
        `UPDATE clusters c SET name = x.name, summary = x.summary, named_by = x.by, named_at_count = c.issue_count,
                keyphrases = ARRAY(SELECT jsonb_array_elements_text(x.keys::jsonb))
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(id, name, summary, keys, by)
          WHERE c.id = x.id AND NOT ('name' = ANY(c.locked_fields))`,
        [out.id, out.name, out.summary, out.keys, out.by],
      );
    }
    return { named: ids.length, byClaude };
  }

  /** The briefs' central issues: summaries and verbatim quotes (verified quotes only). */
  private async attachIssues(
    manager: EntityManager,
    briefs: ClusterBrief[],
    centralIds: Map<string, string[]>,
  ): Promise<void> {
    const all = [...centralIds.values()].flat();
    const rows: Array<{ id: string; quote: string | null; summary: string }> = all.length
      ? await manager.query(
          `SELECT id, summary, CASE WHEN quote_verified THEN quote END AS quote FROM issues WHERE id = ANY($1::uuid[])`,
          [all],
        )
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const b of briefs)
      b.issues = (centralIds.get(b.id) ?? [])
        .map((id) => byId.get(id))
        .filter((r): r is { id: string; quote: string | null; summary: string } => !!r)
        .map((r) => ({ summary: r.summary, quote: r.quote }));
  }
}

export { DAY_MS };
