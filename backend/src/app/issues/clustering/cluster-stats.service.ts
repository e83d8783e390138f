import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BASELINE_WEEKS, DAY_MS, isEmerging, trendPct, WEEK_MS } from '../trends';
import { CLUSTERING, ClusterEngine } from './cluster-engine';
import { BRIEF_ISSUES, ClusterBrief } from './claude-cluster-judge';
import { CLUSTER_AI_LIMITS, ClusterAiService } from './cluster-ai.service';
import { ClusterIssueRepository } from '../repositories/cluster-issue.repository';
import {
  ClusterFiguresRow,
  ClusterName,
  ClusterStats,
  ClusterStatsRepository,
  NamingCandidate,
} from '../repositories/cluster-stats.repository';
import { ClusteringStateService } from './clustering-state.service';

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
    private readonly repository: ClusterStatsRepository,
    private readonly issues: ClusterIssueRepository,
  ) {}

  /** Refreshes the given clusters (all when omitted). Returns how many were updated. */
  async refresh(manager: EntityManager, clusterIds?: string[], now = new Date()): Promise<number> {
    const t = now.getTime();
    const since: [Date, Date, Date] = [
      new Date(t - WEEK_MS),
      new Date(t - 2 * WEEK_MS),
      new Date(t - WEEK_MS - BASELINE_WEEKS * WEEK_MS),
    ];
    const rows = await this.repository.figures(since, clusterIds, manager);
    if (!rows.length) return 0;
    await this.repository.saveStats(
      rows.map((r) => statsOf(r, now)),
      now,
      manager,
    );
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
    const claude = this.ai.available;
    const rows = await this.repository.namingCandidates(
      { keyphraseNamed: claude, ...(options.clusterIds ? { clusterIds: options.clusterIds } : {}) },
      manager,
    );
    const info = new Map(rows.map((r) => [r.id, r]));
    const budget = { claude: claude ? CLUSTER_AI_LIMITS.namesPerRun : 0 };
    let byClaude = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => r.id);
      const { names, briefs, centralIds } = await this.keyphraseNames(manager, engine, chunk, info, budget);
      if (briefs.length) byClaude += await this.claudeNames(manager, names, briefs, centralIds, options.runId ?? null);
      await this.repository.saveNames(names, manager);
    }
    return { named: rows.length, byClaude };
  }

  /**
   * Keyphrase names of the clusters from their most recent members; the clusters of 2+ issues Claude may name
   * (while `budget.claude` lasts) get a brief and their central issues' ids.
   */
  private async keyphraseNames(
    manager: EntityManager,
    engine: ClusterEngine,
    ids: string[],
    info: Map<string, NamingCandidate>,
    budget: { claude: number },
  ): Promise<{ names: ClusterName[]; briefs: ClusterBrief[]; centralIds: Map<string, string[]> }> {
    const members = await this.state.issuesOf(manager, ids, CLUSTERING.nameSample);
    const byCluster = new Map<string, typeof members>();
    for (const m of members) {
      const list = byCluster.get(m.clusterId!) ?? [];
      list.push(m);
      byCluster.set(m.clusterId!, list);
    }
    const names: ClusterName[] = [];
    const briefs: ClusterBrief[] = [];
    const centralIds = new Map<string, string[]>();
    for (const id of ids) {
      const list = byCluster.get(id);
      if (!list?.length) continue;
      const named = engine.name(list);
      names.push({
        id,
        name: named.name.slice(0, 300),
        summary: named.summary,
        keyphrases: named.keyphrases,
        by: 'keyphrases',
      });
      const r = info.get(id)!;
      if (budget.claude > 0 && r.issue_count >= 2) {
        budget.claude--;
        briefs.push({ id, category: r.category, subcategory: r.subcategory, issueCount: r.issue_count, issues: [] });
        centralIds.set(
          id,
          named.central.slice(0, BRIEF_ISSUES).map((m) => m.id),
        );
      }
    }
    return { names, briefs, centralIds };
  }

  /** Claude's names over the keyphrase names (in `names`) of the briefs' clusters; returns how many it named. */
  private async claudeNames(
    manager: EntityManager,
    names: ClusterName[],
    briefs: ClusterBrief[],
    centralIds: Map<string, string[]>,
    runId: string | null,
  ): Promise<number> {
    await this.attachIssues(manager, briefs, centralIds);
    const byClaude = await this.ai.name(manager, briefs, runId);
    for (const [id, n] of byClaude) {
      const named = names.find((x) => x.id === id)!;
      named.name = n.name.slice(0, 300);
      named.summary = n.summary;
      named.by = 'claude';
    }
    return byClaude.size;
  }

  /** The briefs' central issues: summaries and verbatim quotes (verified quotes only). */
  private async attachIssues(
    manager: EntityManager,
    briefs: ClusterBrief[],
    centralIds: Map<string, string[]>,
  ): Promise<void> {
    const rows = await this.issues.briefIssues([...centralIds.values()].flat(), manager);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const b of briefs)
      b.issues = (centralIds.get(b.id) ?? [])
        .map((id) => byId.get(id))
        .filter((r) => !!r)
        .map((r) => ({ summary: r.summary, quote: r.quote }));
  }
}

/** A cluster's statistics from its figures (`now`: when they are computed). */
function statsOf(r: ClusterFiguresRow, now: Date): ClusterStats {
  const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const issueCount = n(r.issue_count);
  const firstSeen = r.first_seen ? new Date(r.first_seen) : null;
  const c7 = n(r.c7);
  const prior = n(r.prior);
  return {
    id: r.id,
    issues: issueCount,
    tickets: n(r.ticket_count),
    customers: n(r.customers),
    first: firstSeen,
    last: r.last_seen ? new Date(r.last_seen) : null,
    c7,
    prior,
    trend: trendPct(c7, prior),
    emerging: issueCount > 0 && isEmerging({ now, firstSeen, issueCount, count7d: c7, countBaseline: n(r.baseline) }),
    severity: SEVERITIES[n(r.severity)] || null,
    subcategory: r.subcategory ?? r.old_subcategory ?? null,
    active: issueCount > 0 && !r.merged_into,
    organizationIds: (r.organization_ids ?? []).map(String),
    frustration: r.frustration === null || r.frustration === undefined ? null : Number(r.frustration),
  };
}

export { DAY_MS };
