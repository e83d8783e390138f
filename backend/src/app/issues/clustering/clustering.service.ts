import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { IssuesCacheService } from '../issues-cache.service';
import { ClusterIssueRepository } from '../repositories/cluster-issue.repository';
import { ClusterPairRepository } from '../repositories/cluster-pair.repository';
import { CentroidRow, ClusterRepository } from '../repositories/cluster.repository';
import { Placement, PlacementRepository } from '../repositories/placement.repository';
import { BRIEF_ISSUES, ClusterBrief } from './claude-cluster-judge';
import { CLUSTER_AI_LIMITS, ClusterAiService } from './cluster-ai.service';
import { CLUSTERING, ClusterEngine, EngineCluster, NEW_PREFIX } from './cluster-engine';
import { ClusterStatsService } from './cluster-stats.service';
import { ClusteringConflictError, ClusteringStateService, fingerprint, IssueRow } from './clustering-state.service';

export interface ClusteringSummary {
  issues: number;
  joined: number;
  created: number;
  /** Issues put back where their ticket's earlier issue (or a PM) had placed them. */
  placed: number;
  autoMerged: number;
  proposals: number;
  rebuilt: number;
  named: number;
  /** Named and summarised by Claude (with an API key). */
  namedByClaude: number;
  /** Borderline merges Claude looked at, and how many it confirmed (merged). */
  adjudicated: number;
  confirmedMerges: number;
  attempts: number;
}

const MAX_ATTEMPTS = 5;
const CHUNK = 5000;
/** Issues assigned (or tokenised) between two turns of the event loop. */
const ASSIGN_SLICE = 1000;
const YIELD_EVERY = 1000;

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The cluster phase of a run. New (unclustered) issues are compared with the active clusters of their category
 * through the text-mining engine and join the best one above the threshold or start a new one; issues whose
 * ticket had this issue before (or a PM placed it) go back to that cluster. A consolidation pass proposes merges
 * and merges automatically above a high bar (never clusters a PM has shaped). Then names and statistics.
 */
@Injectable()
export class ClusteringService {
  private readonly logger = new Logger(ClusteringService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClusterRepository,
    private readonly issues: ClusterIssueRepository,
    private readonly placements: PlacementRepository,
    private readonly pairs: ClusterPairRepository,
    private readonly state: ClusteringStateService,
    private readonly stats: ClusterStatsService,
    private readonly cache: IssuesCacheService,
    private readonly ai: ClusterAiService,
  ) {}

  async clusterPending(
    runId: string | null,
    report: (done: number, total: number) => Promise<void> = async () => undefined,
  ): Promise<ClusteringSummary> {
    await this.syncHidden();
    let summary: ClusteringSummary | null = null;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !summary; attempt++) {
      try {
        summary = await this.attempt(runId, report, attempt);
      } catch (error) {
        if (!(error instanceof ClusteringConflictError) || attempt === MAX_ATTEMPTS) throw error;
        this.logger.warn(`${error.message}: clustering again`);
      }
    }
    await this.cache.invalidate();
    this.logger.log(
      `clustered ${summary!.issues} issues: ${summary!.joined} joined, ${summary!.created} new clusters, ` +
        `${summary!.placed} placed, ${summary!.autoMerged} auto-merged, ${summary!.proposals} merge proposals` +
        (this.ai.available
          ? `; Claude named ${summary!.namedByClaude} and confirmed ${summary!.confirmedMerges} of ${summary!.adjudicated} borderline merges`
          : ''),
    );
    return summary!;
  }

  /**
   * Issues of deleted tickets, and of tickets merged into another (the same report twice), leave their clusters
   * and counts (and come back if the ticket is restored).
   */
  private async syncHidden(): Promise<void> {
    await this.clusters.hideIssuesOfUnreportedTickets();
  }

  private async attempt(
    runId: string | null,
    report: (done: number, total: number) => Promise<void>,
    attempt: number,
  ): Promise<ClusteringSummary> {
    const m = this.dataSource.manager;
    const { engine, version } = await this.state.load(m);
    const summary: ClusteringSummary = {
      issues: 0,
      joined: 0,
      created: 0,
      placed: 0,
      autoMerged: 0,
      proposals: 0,
      rebuilt: 0,
      named: 0,
      namedByClaude: 0,
      adjudicated: 0,
      confirmedMerges: 0,
      attempts: attempt,
    };

    const pending = await this.issues.unclustered(m);
    summary.issues = pending.length;
    await report(0, pending.length);

    // Clusters whose issues were replaced (re-analysis) or hidden: centroid rebuilt from the current members.
    const stale = await this.clusters.staleIds(m);

    // CPU work on the event loop, in slices: the API keeps answering while a big run clusters.
    for (let i = 0; i < pending.length; i += YIELD_EVERY) {
      engine.observe(pending.slice(i, i + YIELD_EVERY));
      await yieldToRequests();
    }
    const vectors = new Map<string, ReturnType<ClusterEngine['vectorize']>>();
    for (let i = 0; i < pending.length; i++) {
      vectors.set(pending[i]!.id, engine.vectorize(pending[i]!));
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToRequests();
    }

    // Placement memory: the cluster this ticket's same issue was in, or where a PM put the ticket's issue.
    const placements = await this.placements.ofTickets([...new Set(pending.map((i) => i.ticketId))], m);
    const placedTo = new Map<string, string>();
    for (const issue of pending) {
      const target = this.placementOf(issue, placements);
      if (target) placedTo.set(issue.id, target);
    }
    summary.placed = placedTo.size;

    const writes: Writes = {
      assignments: [],
      newClusters: new Map(),
      centroids: new Map(),
      merges: [],
      proposals: [],
      verdicts: [],
    };
    const rejected = await this.rejectedPairs(m);
    const pendingById = new Map(pending.map((i) => [i.id, i]));
    let judgementBudget = this.ai.available ? CLUSTER_AI_LIMITS.judgementsPerRun : 0;
    const categories = [...new Set(pending.map((i) => i.category))];
    const consolidateAll = await this.categoriesWithClusters(m);
    for (const c of categories) consolidateAll.add(c);

    let done = 0;
    let nextNewSeq = 1;
    const staleIds = new Set(stale);
    for (const category of [...consolidateAll].sort()) {
      const clusters = await this.loadCategory(m, category, engine, staleIds);
      const byId = new Map(clusters.map((c) => [c.id, c]));
      const items = pending.filter((i) => i.category === category);
      // Placed issues first: added to their cluster's centroid (which may be in another category).
      for (const issue of items) {
        const target = placedTo.get(issue.id);
        if (!target) continue;
        const cluster = byId.get(target) ?? (await this.loadCluster(m, target, engine, staleIds));
        if (!cluster) continue;
        addVector(cluster, vectors.get(issue.id)!);
        cluster.members.push(issue.id);
        writes.centroids.set(cluster.id, cluster);
        writes.assignments.push({ issue, clusterId: cluster.id, score: 1, reason: 'placed' });
      }
      const free = items.filter((i) => !placedTo.has(i.id));
      for (let i = 0; i < free.length; i += ASSIGN_SLICE) {
        const chunk = free.slice(i, i + ASSIGN_SLICE);
        const result = engine.assign(
          [...byId.values()],
          chunk.map((issue) => ({ id: issue.id, vector: vectors.get(issue.id)! })),
          nextNewSeq,
        );
        for (const t of result.touched) {
          if (t.id.startsWith(NEW_PREFIX)) nextNewSeq = Math.max(nextNewSeq, t.seq + 1);
          const cluster = { ...t, category };
          byId.set(t.id, cluster);
          writes.centroids.set(t.id, cluster);
          if (t.id.startsWith(NEW_PREFIX)) writes.newClusters.set(t.id, category);
        }
        const byIssue = new Map(chunk.map((issue) => [issue.id, issue]));
        for (const a of result.assignments) {
          const issue = byIssue.get(a.issueId)!;
          writes.assignments.push({ issue, clusterId: a.clusterId, score: a.score, reason: 'assigned' });
          if (a.clusterId.startsWith(NEW_PREFIX)) summary.created++;
          else summary.joined++;
        }
        done += chunk.length;
        await report(done + placedTo.size, pending.length);
        await yieldToRequests();
      }
      // New clusters that refine emptied again are gone from the engine: forget them.
      const live = new Set(writes.assignments.map((a) => a.clusterId));
      for (const id of [...writes.newClusters.keys()]) if (!live.has(id)) writes.newClusters.delete(id);
      summary.created = writes.newClusters.size;

      const mergeable = await this.mergeable(
        m,
        [...byId.keys()].filter((id) => !id.startsWith(NEW_PREFIX)),
      );
      const { merges, proposals } = engine.consolidate(
        [...byId.values()].filter((c) => c.members.length > 0),
        (id) => id.startsWith(NEW_PREFIX) || mergeable.has(id),
      );
      const applyMerge = (merge: { into: string; from: string; score: number }) => {
        const into = byId.get(merge.into)!;
        const from = byId.get(merge.from)!;
        const sum = new Map(into.sum);
        for (const [t, w] of from.sum) sum.set(t, (sum.get(t) ?? 0) + w);
        into.sum = [...sum.entries()].sort((a, b) => a[0] - b[0]);
        into.members = [...into.members, ...from.members];
        byId.delete(from.id);
        writes.centroids.set(into.id, into);
        writes.centroids.delete(from.id);
        writes.merges.push(merge);
      };
      for (const merge of merges) applyMerge(merge);
      // Pairs a PM or Claude already judged different are not proposed again.
      const open = proposals.filter((p) => byId.has(p.a) && byId.has(p.b) && !rejected.has(pairKey(p.a, p.b)));
      // Borderline pairs (between the proposal and the auto-merge bars) of clusters no PM has shaped: Claude decides.
      const auto = (id: string) => id.startsWith(NEW_PREFIX) || mergeable.has(id);
      const borderline = open.filter((p) => auto(p.a) && auto(p.b)).slice(0, Math.max(0, judgementBudget));
      judgementBudget -= borderline.length;
      const verdicts = await this.adjudicate(m, borderline, byId, pendingById, engine, category, runId);
      summary.adjudicated += verdicts.size;
      for (const p of open) {
        const verdict = verdicts.get(pairKey(p.a, p.b));
        if (!verdict) {
          writes.proposals.push(p);
          continue;
        }
        writes.verdicts.push({ a: p.a, b: p.b, ...verdict });
        if (!verdict.same || !byId.has(p.a) || !byId.has(p.b)) continue;
        const [a, b] = [byId.get(p.a)!, byId.get(p.b)!];
        const aFirst = a.members.length > b.members.length || (a.members.length === b.members.length && a.seq < b.seq);
        applyMerge({ into: aFirst ? a.id : b.id, from: aFirst ? b.id : a.id, score: p.score });
        summary.confirmedMerges++;
      }
    }
    summary.autoMerged = writes.merges.length - summary.confirmedMerges;
    summary.proposals = writes.proposals.length;

    const touched = await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx, version);
      const ids = await this.write(tx, writes, runId);
      await this.state.bump(tx, engine);
      return ids;
    });
    summary.created = touched.created;

    // Centroids of clusters that lost members outside the engine, then stats and names.
    const stillStale = [...staleIds];
    if (stillStale.length)
      await this.dataSource.transaction(async (tx) => {
        await this.state.lock(tx);
        await this.state.rebuildCentroids(tx, engine, stillStale);
        await this.state.bump(tx);
      });
    summary.rebuilt = stillStale.length;
    await this.stats.refresh(m);
    const named = await this.stats.name(m, engine, { runId });
    summary.named = named.named;
    summary.namedByClaude = named.byClaude;
    await report(pending.length, pending.length);
    return summary;
  }

  private async write(tx: EntityManager, writes: Writes, runId: string | null): Promise<{ created: number }> {
    // New clusters get their database ids (those consolidation merged away at once never exist).
    const mergedAway = new Map(writes.merges.map((mg) => [mg.from, mg.into]));
    const idOf = new Map<string, string>();
    const created = [...writes.newClusters.entries()].filter(([id]) => !mergedAway.has(id));
    for (let i = 0; i < created.length; i += 1000) {
      const slice = created.slice(i, i + 1000);
      const ids = slice.map(() => randomUUID());
      // In engine order, so `seq` (age) follows the order the engine created them in.
      for (let k = 0; k < slice.length; k += 1) idOf.set(slice[k]![0], ids[k]!);
      await this.clusters.createEmpty(
        slice.map(([, category], k) => ({ id: ids[k]!, category })),
        tx,
      );
    }
    const real = (id: string) => idOf.get(id) ?? id;
    const finalOf = (id: string): string => {
      let cur = id;
      for (let hops = 0; mergedAway.has(cur) && hops < 100; hops++) cur = mergedAway.get(cur)!;
      return real(cur);
    };

    // Merges: the source's issues move into the survivor; the source is kept (PM fields intact) as merged.
    for (const merge of writes.merges) {
      if (merge.from.startsWith(NEW_PREFIX)) continue; // nothing stored yet: its issues are assigned below
      const into = finalOf(merge.into);
      const from = real(merge.from);
      await this.clusters.mergeInto({ into, from: [from], reason: 'auto_merge', score: merge.score, runId }, tx);
    }

    // Assignments, history and placement memory.
    const a = writes.assignments;
    for (let i = 0; i < a.length; i += CHUNK) {
      const slice = a.slice(i, i + CHUNK);
      const clusterIds = slice.map((x) => finalOf(x.clusterId));
      await this.clusters.assignIssues(
        slice.map((x, k) => ({
          issueId: x.issue.id,
          ticketId: x.issue.ticketId,
          clusterId: clusterIds[k]!,
          score: x.score,
          reason: x.reason,
        })),
        runId,
        tx,
      );
      // A PM's pin stays a pin; otherwise remember where the run put it.
      await this.placements.remember(
        slice.map((x) => ({
          ticketId: x.issue.ticketId,
          fingerprint: fingerprint(x.issue),
          category: x.issue.category,
        })),
        clusterIds,
        tx,
      );
    }

    // Centroids of every cluster the batch touched.
    const centroids = [...writes.centroids.values()].filter((c) => !mergedAway.has(c.id));
    for (let i = 0; i < centroids.length; i += 1000) {
      const slice = centroids.slice(i, i + 1000);
      await this.clusters.saveCentroids(
        slice.map((c) => ({ id: real(c.id), sum: c.sum, count: c.members.length })),
        true,
        tx,
      );
    }

    // Claude's verdicts on borderline pairs (kept so the pair is not asked about again).
    const verdicts = writes.verdicts
      .map((v) => {
        const [a, b] = [finalOf(v.a), finalOf(v.b)].sort();
        return { a: a!, b: b!, same: v.same, reason: v.reason.slice(0, 1000), model: v.model };
      })
      .filter((v) => v.a !== v.b && !v.a.startsWith(NEW_PREFIX) && !v.b.startsWith(NEW_PREFIX));
    await this.pairs.recordVerdicts(verdicts, tx);

    // Merge proposals of the categories looked at: replaced by this run's.
    const pairs = writes.proposals.filter((p) => !mergedAway.has(p.a) && !mergedAway.has(p.b));
    await this.pairs.replaceProposals(
      pairs.map((p) => ({ a: real(p.a), b: real(p.b), score: p.score })),
      tx,
    );
    return { created: created.length };
  }

  /** The same issue (fingerprint) of the ticket; else the ticket's only PM-pinned placement in that category. */
  private placementOf(issue: IssueRow, placements: Map<number, Placement[]>): string | null {
    const list = placements.get(issue.ticketId);
    if (!list?.length) return null;
    const fp = fingerprint(issue);
    const same = list.find((p) => p.fingerprint === fp);
    if (same) return same.clusterId;
    const pinned = list.filter((p) => p.pinned && p.category === issue.category);
    return pinned.length === 1 ? pinned[0]!.clusterId : null;
  }

  private async categoriesWithClusters(m: EntityManager): Promise<Set<string>> {
    return new Set(await this.clusters.activeCategories(m));
  }

  private async loadCategory(
    m: EntityManager,
    category: string,
    engine: ClusterEngine,
    stale: Set<string>,
  ): Promise<Array<EngineCluster & { category: string }>> {
    const rows = await this.clusters.centroidsInCategory(category, m);
    return this.toEngineClusters(m, rows, engine, stale);
  }

  private async loadCluster(m: EntityManager, id: string, engine: ClusterEngine, stale: Set<string>) {
    const row = await this.clusters.centroidOf(id, m);
    return row ? (await this.toEngineClusters(m, [row], engine, stale))[0] : undefined;
  }

  private async toEngineClusters(
    m: EntityManager,
    rows: CentroidRow[],
    engine: ClusterEngine,
    stale: Set<string>,
  ): Promise<Array<EngineCluster & { category: string }>> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const members = await this.issues.memberIds(ids, m);
    const byCluster = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const r of members) byCluster.get(r.clusterId)?.push(r.id);
    // A stale centroid (members replaced by re-analysis) is rebuilt now, so new issues meet the real cluster.
    const staleHere = ids.filter((id) => stale.has(id));
    const rebuilt = new Map<string, Array<[number, number]>>();
    if (staleHere.length) {
      const texts = await this.state.issuesOf(m, staleHere);
      for (const id of staleHere) rebuilt.set(id, engine.sumOf(texts.filter((t) => t.clusterId === id)));
    }
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      sum: rebuilt.get(r.id) ?? r.centroid,
      members: byCluster.get(r.id) ?? [],
      category: r.category,
    }));
  }

  /** Pairs judged different (by a PM or by Claude): never proposed again. */
  private async rejectedPairs(m: EntityManager): Promise<Set<string>> {
    const rows = await this.pairs.rejected(m);
    return new Set(rows.map((r) => pairKey(r.a, r.b)));
  }

  /** Claude's verdict on each borderline pair (pairs it could not judge are left out and stay proposals). */
  private async adjudicate(
    m: EntityManager,
    pairs: ReadonlyArray<{ a: string; b: string; score: number }>,
    byId: Map<string, EngineCluster & { category: string }>,
    pendingById: Map<string, IssueRow>,
    engine: ClusterEngine,
    category: string,
    runId: string | null,
  ): Promise<Map<string, { same: boolean; reason: string; model: string }>> {
    if (!pairs.length) return new Map();
    const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const stored = await this.state.issuesOf(
      m,
      ids.filter((id) => !id.startsWith(NEW_PREFIX)),
      CLUSTERING.nameSample,
    );
    const names = await this.clusters.namesOf(
      ids.filter((id) => !id.startsWith(NEW_PREFIX)),
      m,
    );
    const known = new Map(names.map((r) => [r.id, r]));
    const briefs = new Map<string, ClusterBrief>();
    for (const id of ids) {
      const cluster = byId.get(id)!;
      const members = [
        ...stored.filter((s) => s.clusterId === id),
        ...cluster.members.map((i) => pendingById.get(i)).filter((x): x is IssueRow => !!x),
      ];
      const named = engine.name(members);
      briefs.set(id, {
        id,
        category,
        subcategory: known.get(id)?.subcategory ?? null,
        name: known.get(id)?.name || undefined,
        issueCount: cluster.members.length,
        issues: named.central.slice(0, BRIEF_ISSUES).map((i) => ({ summary: i.summary, quote: null })),
      });
    }
    return this.ai.adjudicate(
      m,
      pairs.map((p) => ({ key: pairKey(p.a, p.b), a: briefs.get(p.a)!, b: briefs.get(p.b)! })),
      runId,
    );
  }

  /** Clusters a consolidation may merge on its own: untouched by PMs (status new, no locks). */
  private async mergeable(m: EntityManager, ids: string[]): Promise<Set<string>> {
    return new Set(await this.clusters.untouchedIds(ids, m));
  }
}

interface Writes {
  assignments: Array<{ issue: IssueRow; clusterId: string; score: number; reason: 'assigned' | 'placed' }>;
  /** Engine id of each cluster this run created → its category. */
  newClusters: Map<string, string>;
  centroids: Map<string, EngineCluster>;
  merges: Array<{ into: string; from: string; score: number }>;
  proposals: Array<{ a: string; b: string; score: number }>;
  verdicts: Array<{ a: string; b: string; same: boolean; reason: string; model: string }>;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function addVector(cluster: EngineCluster, vector: { ids: Int32Array; weights: Float64Array }): void {
  const sum = new Map(cluster.sum);
  for (let i = 0; i < vector.ids.length; i++)
    sum.set(vector.ids[i]!, (sum.get(vector.ids[i]!) ?? 0) + vector.weights[i]!);
  cluster.sum = [...sum.entries()].sort((a, b) => a[0] - b[0]);
}
