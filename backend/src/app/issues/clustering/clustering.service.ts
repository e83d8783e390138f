import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SparseVector } from '@pim/text-mining';
import { DataSource, EntityManager } from 'typeorm';
import { IssuesCacheService } from '../issues-cache.service';
import { ClusterIssueRepository } from '../repositories/cluster-issue.repository';
import { ClusterPairRepository } from '../repositories/cluster-pair.repository';
import { CentroidRow, ClusterRepository } from '../repositories/cluster.repository';
import { Placement, PlacementRepository } from '../repositories/placement.repository';
import { BRIEF_ISSUES, ClusterBrief } from './claude-cluster-judge';
import { CLUSTER_AI_LIMITS, ClusterAiService } from './cluster-ai.service';
import { CLUSTERING, ClusterEngine } from './cluster-engine';
import { ClusterStatsService } from './cluster-stats.service';
import {
  CategoryCluster,
  CategoryClusters,
  emptyWrites,
  forgetEmptiedNewClusters,
  isNew,
  pairKey,
  ProposedPair,
  Writes,
} from './clustering-batch';
import { ClusteringConflictError, ClusteringStateService, fingerprint, IssueRow } from './clustering-state.service';
import { ClusteringWriter } from './clustering-writer';

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

type Report = (done: number, total: number) => Promise<void>;

const MAX_ATTEMPTS = 5;
/**
 * Issues clustered per page: a run holds one page's rows, vectors and writes, however many issues it clusters,
 * and writes each page in its own transaction. Larger than every bench:mining set, so those cluster in one page
 * exactly as before pages existed (a page observes its own issues before vectorising them).
 */
export const CLUSTER_PAGE_ISSUES = 50_000;
/** Issues assigned (or tokenised) between two turns of the event loop. */
const ASSIGN_SLICE = 1000;
const YIELD_EVERY = 1000;

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The unclustered issues of an attempt, vectorised, and where the placement memory puts some of them. */
interface Batch {
  pending: IssueRow[];
  pendingById: Map<string, IssueRow>;
  vectors: Map<string, SparseVector>;
  /** Issue id → the cluster its ticket's same issue (or a PM) placed it in. */
  placedTo: Map<string, string>;
  /** Clusters whose centroid counts other members than they have. */
  staleIds: Set<string>;
}

/** What the pages of one run share: progress, Claude's remaining judgements, issues a page left unclustered. */
interface RunPages {
  runId: string | null;
  report: Report;
  total: number;
  /** Issues of the pages written so far. */
  done: number;
  judgementBudget: number;
  /** Read by a page but not clustered (a placement whose cluster is gone): not read again by this run. */
  skipped: string[];
  /** Stale centroids are looked for once per run (the first page rebuilds them). */
  checkStale: boolean;
}

/** One attempt: its inputs, and what it decided so far (`writes`, `summary`). */
interface Pass {
  m: EntityManager;
  engine: ClusterEngine;
  runId: string | null;
  report: Report;
  batch: Batch;
  rejected: Set<string>;
  writes: Writes;
  summary: ClusteringSummary;
  judgementBudget: number;
  nextNewSeq: number;
  /** Free issues assigned so far. */
  done: number;
}

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
    private readonly writer: ClusteringWriter,
    private readonly state: ClusteringStateService,
    private readonly stats: ClusterStatsService,
    private readonly cache: IssuesCacheService,
    private readonly ai: ClusterAiService,
  ) {}

  /** Issues per page (`CLUSTER_PAGE_ISSUES`; specs make it small). */
  pageSize = CLUSTER_PAGE_ISSUES;

  /**
   * Clusters the unclustered issues page by page (each page read, decided and written on its own, so memory is
   * one page's whatever the run's size), then refreshes every cluster's statistics and names once.
   */
  async clusterPending(runId: string | null, report: Report = async () => undefined): Promise<ClusteringSummary> {
    await this.clusters.hideIssuesOfUnreportedTickets();
    const run: RunPages = {
      runId,
      report,
      total: await this.issues.countUnclustered(),
      done: 0,
      judgementBudget: this.ai.available ? CLUSTER_AI_LIMITS.judgementsPerRun : 0,
      skipped: [],
      checkStale: true,
    };
    let summary: ClusteringSummary | null = null;
    let engine: ClusterEngine;
    for (;;) {
      const page = await this.page(run);
      summary = summary ? addSummaries(summary, page.summary) : page.summary;
      engine = page.engine;
      if (page.summary.issues < this.pageSize) break;
    }
    const m = this.dataSource.manager;
    await this.stats.refresh(m);
    const named = await this.stats.name(m, engine, { runId });
    summary.named = named.named;
    summary.namedByClaude = named.byClaude;
    await report(run.done, Math.max(run.total, run.done));
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

  /** One page, in attempts: a conflict (a PM's edit meanwhile) reads the page again against the new state. */
  private async page(run: RunPages): Promise<{ summary: ClusteringSummary; engine: ClusterEngine }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const page = await this.attempt(run, attempt);
        run.done += page.summary.issues;
        run.checkStale = false;
        return page;
      } catch (error) {
        if (!(error instanceof ClusteringConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(`${error.message}: clustering again`);
      }
    }
  }

  /**
   * One attempt at a page against the clustering state as read at its start: load, then per category place known
   * issues, assign the others, consolidate and adjudicate; write it all unless the state moved on (a conflict: the
   * caller tries again); then rebuild stale centroids.
   */
  private async attempt(
    run: RunPages,
    attempt: number,
  ): Promise<{ summary: ClusteringSummary; engine: ClusterEngine }> {
    const m = this.dataSource.manager;
    const { engine, version } = await this.state.load(m);
    const report: Report = (done) => run.report(run.done + done, Math.max(run.total, run.done + done));
    const batch = await this.load(m, engine, report, run);
    const summary = emptySummary(attempt, batch);
    const pass: Pass = {
      m,
      engine,
      runId: run.runId,
      report,
      batch,
      rejected: await this.rejectedPairs(m),
      writes: emptyWrites(),
      summary,
      judgementBudget: run.judgementBudget,
      nextNewSeq: 1,
      done: 0,
    };
    for (const category of await this.categories(m, batch.pending)) await this.clusterCategory(pass, category);
    summary.autoMerged = pass.writes.merges.length - summary.confirmedMerges;
    summary.proposals = pass.writes.proposals.length;

    summary.created = await this.save(engine, version, pass.writes, run.runId);
    summary.rebuilt = await this.rebuildStale(engine, batch.staleIds);
    run.judgementBudget = pass.judgementBudget;
    const clustered = new Set(pass.writes.assignments.map((a) => a.issue.id));
    for (const issue of batch.pending) if (!clustered.has(issue.id)) run.skipped.push(issue.id);
    return { summary, engine };
  }

  /** A page of unclustered issues, observed by the engine's model and vectorised, and their remembered placements. */
  private async load(m: EntityManager, engine: ClusterEngine, report: Report, run: RunPages): Promise<Batch> {
    const pending = await this.issues.unclustered(m, { limit: this.pageSize, except: run.skipped });
    await report(0, pending.length);
    // Clusters whose issues were replaced (re-analysis) or hidden: centroid rebuilt from the current members.
    const staleIds = new Set(run.checkStale ? await this.clusters.staleIds(m) : []);

    // CPU work on the event loop, in slices: the API keeps answering while a big run clusters.
    for (let i = 0; i < pending.length; i += YIELD_EVERY) {
      engine.observe(pending.slice(i, i + YIELD_EVERY));
      await yieldToRequests();
    }
    const vectors = new Map<string, SparseVector>();
    for (let i = 0; i < pending.length; i++) {
      vectors.set(pending[i]!.id, engine.vectorize(pending[i]!));
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToRequests();
    }

    // Placement memory: the cluster this ticket's same issue was in, or where a PM put the ticket's issue.
    const placements = await this.placements.ofTickets([...new Set(pending.map((i) => i.ticketId))], m);
    const placedTo = new Map<string, string>();
    for (const issue of pending) {
      const target = placementOf(issue, placements);
      if (target) placedTo.set(issue.id, target);
    }
    return { pending, pendingById: new Map(pending.map((i) => [i.id, i])), vectors, placedTo, staleIds };
  }

  /** Categories of the new issues and of the active clusters (all are consolidated), in order. */
  private async categories(m: EntityManager, pending: IssueRow[]): Promise<string[]> {
    const all = new Set(await this.clusters.activeCategories(m));
    for (const issue of pending) all.add(issue.category);
    return [...all].sort();
  }

  private async clusterCategory(pass: Pass, category: string): Promise<void> {
    const { m, engine, batch } = pass;
    const clusters = new CategoryClusters(
      category,
      await this.loadCategory(m, category, engine, batch.staleIds),
      pass.writes,
    );
    const items = batch.pending.filter((i) => i.category === category);
    await this.placeKnown(pass, clusters, items);
    await this.assignFree(
      pass,
      clusters,
      items.filter((i) => !batch.placedTo.has(i.id)),
    );
    pass.summary.created = forgetEmptiedNewClusters(pass.writes);
    const { open, auto } = await this.consolidate(pass, clusters);
    await this.adjudicateOpen(pass, clusters, open, auto);
  }

  /** Placed issues first: added to their cluster's centroid (which may be in another category). */
  private async placeKnown(pass: Pass, clusters: CategoryClusters, items: IssueRow[]): Promise<void> {
    const { m, engine, batch } = pass;
    for (const issue of items) {
      const target = batch.placedTo.get(issue.id);
      if (!target) continue;
      const cluster = clusters.byId.get(target) ?? (await this.loadCluster(m, target, engine, batch.staleIds));
      if (cluster) clusters.place(issue, cluster, batch.vectors.get(issue.id)!);
    }
  }

  /** The other issues, slice by slice: each joins the nearest cluster above the bar or opens one. */
  private async assignFree(pass: Pass, clusters: CategoryClusters, free: IssueRow[]): Promise<void> {
    const { engine, batch, summary } = pass;
    for (let i = 0; i < free.length; i += ASSIGN_SLICE) {
      const chunk = free.slice(i, i + ASSIGN_SLICE);
      const result = engine.assign(
        [...clusters.byId.values()],
        chunk.map((issue) => ({ id: issue.id, vector: batch.vectors.get(issue.id)! })),
        pass.nextNewSeq,
      );
      const { created, joined, nextNewSeq } = clusters.absorb(result, chunk, pass.nextNewSeq);
      pass.nextNewSeq = nextNewSeq;
      summary.created += created;
      summary.joined += joined;
      pass.done += chunk.length;
      await pass.report(pass.done + batch.placedTo.size, batch.pending.length);
      await yieldToRequests();
    }
  }

  /**
   * Merges the similar clusters no PM has shaped (above the auto-merge bar); returns the open proposals (pairs a
   * PM or Claude already judged different are not proposed again) and which clusters may merge on their own.
   */
  private async consolidate(
    pass: Pass,
    clusters: CategoryClusters,
  ): Promise<{ open: ProposedPair[]; auto: (id: string) => boolean }> {
    const mergeable = await this.mergeable(
      pass.m,
      [...clusters.byId.keys()].filter((id) => !isNew(id)),
    );
    const auto = (id: string) => isNew(id) || mergeable.has(id);
    const { merges, proposals } = pass.engine.consolidate(clusters.nonEmpty(), auto);
    for (const merge of merges) clusters.merge(merge);
    const open = proposals.filter(
      (p) => clusters.byId.has(p.a) && clusters.byId.has(p.b) && !pass.rejected.has(pairKey(p.a, p.b)),
    );
    return { open, auto };
  }

  /**
   * Borderline pairs (between the proposal and the auto-merge bars) of clusters no PM has shaped: Claude decides,
   * within the run's budget; a pair it judged the same merges. The rest stay proposals for a PM.
   */
  private async adjudicateOpen(
    pass: Pass,
    clusters: CategoryClusters,
    open: ProposedPair[],
    auto: (id: string) => boolean,
  ): Promise<void> {
    const { writes, summary } = pass;
    const borderline = open.filter((p) => auto(p.a) && auto(p.b)).slice(0, Math.max(0, pass.judgementBudget));
    pass.judgementBudget -= borderline.length;
    const verdicts = await this.adjudicate(pass, clusters, borderline);
    summary.adjudicated += verdicts.size;
    for (const p of open) {
      const verdict = verdicts.get(pairKey(p.a, p.b));
      if (!verdict) {
        writes.proposals.push(p);
        continue;
      }
      writes.verdicts.push({ a: p.a, b: p.b, ...verdict });
      if (verdict.same && clusters.mergePair(p)) summary.confirmedMerges++;
    }
  }

  /** Writes the attempt unless the state moved on since `version` (a conflict). Returns the clusters created. */
  private async save(engine: ClusterEngine, version: number, writes: Writes, runId: string | null): Promise<number> {
    const { created } = await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx, version);
      const written = await this.writer.write(tx, writes, runId);
      await this.state.bump(tx, engine);
      return written;
    });
    return created;
  }

  /** Centroids of clusters that lost members outside the engine. Returns how many. */
  private async rebuildStale(engine: ClusterEngine, staleIds: Set<string>): Promise<number> {
    const stale = [...staleIds];
    if (stale.length)
      await this.dataSource.transaction(async (tx) => {
        await this.state.lock(tx);
        await this.state.rebuildCentroids(tx, engine, stale);
        await this.state.bump(tx);
      });
    return stale.length;
  }

  private async loadCategory(
    m: EntityManager,
    category: string,
    engine: ClusterEngine,
    stale: Set<string>,
  ): Promise<CategoryCluster[]> {
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
  ): Promise<CategoryCluster[]> {
    if (!rows.length) return [];
    // Stored members are counted (the centroid's count), not listed: the run reads no member ids.
    // A stale centroid (members replaced by re-analysis) is rebuilt now, so new issues meet the real cluster.
    const staleHere = rows.map((r) => r.id).filter((id) => stale.has(id));
    const rebuilt = new Map<string, { sum: Array<[number, number]>; size: number }>();
    if (staleHere.length) {
      const texts = await this.state.issuesOf(m, staleHere);
      for (const id of staleHere) {
        const own = texts.filter((t) => t.clusterId === id);
        rebuilt.set(id, { sum: engine.sumOf(own), size: own.length });
      }
    }
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      sum: rebuilt.get(r.id)?.sum ?? r.centroid,
      members: [],
      size: rebuilt.get(r.id)?.size ?? r.count,
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
    pass: Pass,
    clusters: CategoryClusters,
    pairs: ProposedPair[],
  ): Promise<Map<string, { same: boolean; reason: string; model: string }>> {
    if (!pairs.length) return new Map();
    const { m, engine, batch } = pass;
    const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const storedIds = ids.filter((id) => !isNew(id));
    const stored = await this.state.issuesOf(m, storedIds, CLUSTERING.nameSample);
    const known = new Map((await this.clusters.namesOf(storedIds, m)).map((r) => [r.id, r]));
    const briefs = new Map<string, ClusterBrief>();
    for (const id of ids) {
      const cluster = clusters.byId.get(id)!;
      const members = [
        ...stored.filter((s) => s.clusterId === id),
        ...cluster.members.map((i) => batch.pendingById.get(i)).filter((x): x is IssueRow => !!x),
      ];
      const named = engine.name(members);
      briefs.set(id, {
        id,
        category: clusters.category,
        subcategory: known.get(id)?.subcategory ?? null,
        name: known.get(id)?.name || undefined,
        issueCount: cluster.size,
        issues: named.central.slice(0, BRIEF_ISSUES).map((i) => ({ summary: i.summary, quote: null })),
      });
    }
    return this.ai.adjudicate(
      m,
      pairs.map((p) => ({ key: pairKey(p.a, p.b), a: briefs.get(p.a)!, b: briefs.get(p.b)! })),
      pass.runId,
    );
  }

  /** Clusters a consolidation may merge on its own: untouched by PMs (status new, no locks). */
  private async mergeable(m: EntityManager, ids: string[]): Promise<Set<string>> {
    return new Set(await this.clusters.untouchedIds(ids, m));
  }
}

/** Two pages' summaries as one. */
function addSummaries(a: ClusteringSummary, b: ClusteringSummary): ClusteringSummary {
  const sum = { ...a };
  for (const key of Object.keys(b) as Array<keyof ClusteringSummary>) sum[key] = a[key] + b[key];
  sum.attempts = Math.max(a.attempts, b.attempts);
  return sum;
}

function emptySummary(attempt: number, batch: Batch): ClusteringSummary {
  return {
    issues: batch.pending.length,
    joined: 0,
    created: 0,
    placed: batch.placedTo.size,
    autoMerged: 0,
    proposals: 0,
    rebuilt: 0,
    named: 0,
    namedByClaude: 0,
    adjudicated: 0,
    confirmedMerges: 0,
    attempts: attempt,
  };
}

/** The same issue (fingerprint) of the ticket; else the ticket's only PM-pinned placement in that category. */
function placementOf(issue: IssueRow, placements: Map<number, Placement[]>): string | null {
  const list = placements.get(issue.ticketId);
  if (!list?.length) return null;
  const fp = fingerprint(issue);
  const same = list.find((p) => p.fingerprint === fp);
  if (same) return same.clusterId;
  const pinned = list.filter((p) => p.pinned && p.category === issue.category);
  return pinned.length === 1 ? pinned[0]!.clusterId : null;
}
