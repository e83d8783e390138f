import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { IssuesCacheService } from '../issues-cache.service';
import { BRIEF_ISSUES, ClusterBrief } from './claude-cluster-judge';
import { CLUSTER_AI_LIMITS, ClusterAiService } from './cluster-ai.service';
import { CLUSTERING, ClusterEngine, EngineCluster, NEW_PREFIX } from './cluster-engine';
import { ClusterStatsService } from './cluster-stats.service';
import {
  ClusteringConflictError,
  ClusteringStateService,
  fingerprint,
  IssueRow,
  toIssueRow,
} from './clustering-state.service';

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
    await this.dataSource.query(
      `UPDATE issues i SET hidden = x.gone, cluster_id = CASE WHEN x.gone THEN NULL ELSE i.cluster_id END
         FROM (SELECT zendesk_id, (deleted_at IS NOT NULL OR merged_into_id IS NOT NULL) AS gone FROM tickets) x
        WHERE x.zendesk_id = i.ticket_id AND i.hidden <> x.gone`,
    );
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

    const pending = (
      await m.query(
        `SELECT id, ticket_id, category, subcategory, summary, detail, cluster_id FROM issues
          -- In ticket order, not by random uuid: the same tickets give the same clusters on any database.
          WHERE cluster_id IS NULL AND NOT hidden
          ORDER BY category, ticket_created_at, ticket_id, summary, detail, id`,
      )
    ).map(toIssueRow) as IssueRow[];
    summary.issues = pending.length;
    await report(0, pending.length);

    // Clusters whose issues were replaced (re-analysis) or hidden: centroid rebuilt from the current members.
    const stale: Array<{ id: string }> = await m.query(
      `SELECT c.id FROM clusters c
         LEFT JOIN (SELECT cluster_id, count(*)::int AS n FROM issues WHERE cluster_id IS NOT NULL AND NOT hidden
                     GROUP BY cluster_id) x ON x.cluster_id = c.id
        WHERE c.merged_into IS NULL AND c.centroid_count <> coalesce(x.n, 0)`,
    );

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
    const placements = await this.placementsFor(m, [...new Set(pending.map((i) => i.ticketId))]);
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
    const staleIds = new Set(stale.map((s) => s.id));
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
      await tx.query(
        `INSERT INTO clusters (id, category, name)
         SELECT x.id, x.category, '' FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS x(id, category, n) ORDER BY x.n`,
        [ids, slice.map(([, category]) => category)],
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
      await tx.query(
        `INSERT INTO cluster_memberships (issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, score, run_id)
         SELECT id, ticket_id, $1, $2, 'auto_merge', $3, $4 FROM issues WHERE cluster_id = $1`,
        [from, into, merge.score, runId],
      );
      await tx.query(`UPDATE issues SET cluster_id = $2 WHERE cluster_id = $1`, [from, into]);
      await tx.query(`UPDATE issue_placements SET cluster_id = $2 WHERE cluster_id = $1`, [from, into]);
      await tx.query(
        `UPDATE clusters SET merged_into = $2, active = false, centroid = '[]', centroid_count = 0,
                issue_count = 0, updated_at = now() WHERE id = $1`,
        [from, into],
      );
      await tx.query(`UPDATE clusters SET merged_into = $2 WHERE merged_into = $1`, [from, into]);
    }

    // Assignments, history and placement memory.
    const a = writes.assignments;
    for (let i = 0; i < a.length; i += CHUNK) {
      const slice = a.slice(i, i + CHUNK);
      const issueIds = slice.map((x) => x.issue.id);
      const clusterIds = slice.map((x) => finalOf(x.clusterId));
      const scores = slice.map((x) => x.score);
      await tx.query(
        `UPDATE issues i SET cluster_id = x.cluster_id, cluster_score = x.score
           FROM unnest($1::uuid[], $2::uuid[], $3::real[]) AS x(id, cluster_id, score) WHERE i.id = x.id`,
        [issueIds, clusterIds, scores],
      );
      await tx.query(
        `INSERT INTO cluster_memberships (issue_id, ticket_id, to_cluster_id, reason, score, run_id)
         SELECT x.id, x.ticket_id, x.cluster_id, x.reason, x.score, $6
           FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::real[]) AS x(id, ticket_id, cluster_id, reason, score)`,
        [issueIds, slice.map((x) => x.issue.ticketId), clusterIds, slice.map((x) => x.reason), scores, runId],
      );
      // A PM's pin stays a pin; otherwise remember where the run put it.
      await tx.query(
        `INSERT INTO issue_placements (ticket_id, fingerprint, category, cluster_id, pinned)
         SELECT DISTINCT ON (x.ticket_id, x.fp) x.ticket_id, x.fp, x.category, x.cluster_id, false
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::uuid[]) AS x(ticket_id, fp, category, cluster_id)
         ON CONFLICT (ticket_id, fingerprint) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, updated_at = now()
          WHERE NOT issue_placements.pinned`,
        [
          slice.map((x) => x.issue.ticketId),
          slice.map((x) => fingerprint(x.issue)),
          slice.map((x) => x.issue.category),
          clusterIds,
        ],
      );
    }

    // Centroids of every cluster the batch touched.
    const centroids = [...writes.centroids.values()].filter((c) => !mergedAway.has(c.id));
    for (let i = 0; i < centroids.length; i += 1000) {
      const slice = centroids.slice(i, i + 1000);
      await tx.query(
        `UPDATE clusters c SET centroid = x.centroid::jsonb, centroid_count = x.n, active = true
           FROM unnest($1::uuid[], $2::text[], $3::int[]) AS x(id, centroid, n) WHERE c.id = x.id`,
        [slice.map((c) => real(c.id)), slice.map((c) => JSON.stringify(c.sum)), slice.map((c) => c.members.length)],
      );
    }

    // Claude's verdicts on borderline pairs (kept so the pair is not asked about again).
    const verdicts = writes.verdicts
      .map((v) => {
        const [a, b] = [finalOf(v.a), finalOf(v.b)].sort();
        return { a: a!, b: b!, same: v.same, reason: v.reason.slice(0, 1000), model: v.model };
      })
      .filter((v) => v.a !== v.b && !v.a.startsWith(NEW_PREFIX) && !v.b.startsWith(NEW_PREFIX));
    if (verdicts.length)
      await tx.query(
        `INSERT INTO cluster_pair_verdicts (cluster_a, cluster_b, same, decided_by, reason, model)
         SELECT x.a, x.b, x.same, 'claude', x.reason, x.model
           FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[]) AS x(a, b, same, reason, model)
         ON CONFLICT (cluster_a, cluster_b) DO NOTHING`,
        [
          verdicts.map((v) => v.a),
          verdicts.map((v) => v.b),
          verdicts.map((v) => v.same),
          verdicts.map((v) => v.reason),
          verdicts.map((v) => v.model),
        ],
      );

    // Merge proposals of the categories looked at: replaced by this run's.
    const pairs = writes.proposals.filter((p) => !mergedAway.has(p.a) && !mergedAway.has(p.b));
    await tx.query(`DELETE FROM cluster_merge_proposals`);
    if (pairs.length)
      await tx.query(
        `INSERT INTO cluster_merge_proposals (cluster_id, candidate_id, score)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::real[]) ON CONFLICT DO NOTHING`,
        [pairs.map((p) => real(p.a)), pairs.map((p) => real(p.b)), pairs.map((p) => p.score)],
      );
    return { created: created.length };
  }

  private async placementsFor(m: EntityManager, ticketIds: number[]) {
    const out = new Map<number, Array<{ fingerprint: string; category: string; clusterId: string; pinned: boolean }>>();
    if (!ticketIds.length) return out;
    const rows: Array<Record<string, any>> = await m.query(
      `WITH RECURSIVE p AS (
         SELECT ip.ticket_id, ip.fingerprint, ip.category, ip.pinned, ip.cluster_id AS target, 0 AS hops
           FROM issue_placements ip WHERE ip.ticket_id = ANY($1::bigint[])
         UNION ALL
         SELECT p.ticket_id, p.fingerprint, p.category, p.pinned, c.merged_into, p.hops + 1
           FROM p JOIN clusters c ON c.id = p.target WHERE c.merged_into IS NOT NULL AND p.hops < 50)
       SELECT DISTINCT ON (ticket_id, fingerprint) ticket_id, fingerprint, category, pinned, target
         FROM p ORDER BY ticket_id, fingerprint, hops DESC`,
      [ticketIds],
    );
    for (const r of rows) {
      const id = Number(r['ticket_id']);
      const list = out.get(id) ?? [];
      list.push({
        fingerprint: r['fingerprint'],
        category: r['category'],
        clusterId: r['target'],
        pinned: r['pinned'],
      });
      out.set(id, list);
    }
    return out;
  }

  /** The same issue (fingerprint) of the ticket; else the ticket's only PM-pinned placement in that category. */
  private placementOf(
    issue: IssueRow,
    placements: Map<number, Array<{ fingerprint: string; category: string; clusterId: string; pinned: boolean }>>,
  ): string | null {
    const list = placements.get(issue.ticketId);
    if (!list?.length) return null;
    const fp = fingerprint(issue);
    const same = list.find((p) => p.fingerprint === fp);
    if (same) return same.clusterId;
    const pinned = list.filter((p) => p.pinned && p.category === issue.category);
    return pinned.length === 1 ? pinned[0]!.clusterId : null;
  }

  private async categoriesWithClusters(m: EntityManager): Promise<Set<string>> {
    const rows: Array<{ category: string }> = await m.query(
      `SELECT DISTINCT category FROM clusters WHERE active AND merged_into IS NULL`,
    );
    return new Set(rows.map((r) => r.category));
  }

  private async loadCategory(
    m: EntityManager,
    category: string,
    engine: ClusterEngine,
    stale: Set<string>,
  ): Promise<Array<EngineCluster & { category: string }>> {
    const rows: Array<Record<string, any>> = await m.query(
      `SELECT id, seq, centroid FROM clusters WHERE category = $1 AND merged_into IS NULL AND centroid_count > 0`,
      [category],
    );
    return this.toEngineClusters(m, rows, category, engine, stale);
  }

  private async loadCluster(m: EntityManager, id: string, engine: ClusterEngine, stale: Set<string>) {
    const rows: Array<Record<string, any>> = await m.query(
      `SELECT id, seq, centroid, category FROM clusters WHERE id = $1 AND merged_into IS NULL`,
      [id],
    );
    return rows.length ? (await this.toEngineClusters(m, rows, rows[0]!['category'], engine, stale))[0] : undefined;
  }

  private async toEngineClusters(
    m: EntityManager,
    rows: Array<Record<string, any>>,
    category: string,
    engine: ClusterEngine,
    stale: Set<string>,
  ): Promise<Array<EngineCluster & { category: string }>> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r['id'] as string);
    const members: Array<{ id: string; cluster_id: string }> = await m.query(
      `SELECT id, cluster_id FROM issues WHERE cluster_id = ANY($1::uuid[]) AND NOT hidden`,
      [ids],
    );
    const byCluster = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const r of members) byCluster.get(r.cluster_id)?.push(r.id);
    // A stale centroid (members replaced by re-analysis) is rebuilt now, so new issues meet the real cluster.
    const staleHere = ids.filter((id) => stale.has(id));
    const rebuilt = new Map<string, Array<[number, number]>>();
    if (staleHere.length) {
      const texts = await this.state.issuesOf(m, staleHere);
      for (const id of staleHere) rebuilt.set(id, engine.sumOf(texts.filter((t) => t.clusterId === id)));
    }
    return rows.map((r) => ({
      id: r['id'],
      seq: Number(r['seq']),
      sum: rebuilt.get(r['id']) ?? (r['centroid'] as Array<[number, number]>),
      members: byCluster.get(r['id']) ?? [],
      category,
    }));
  }

  /** Pairs judged different (by a PM or by Claude): never proposed again. */
  private async rejectedPairs(m: EntityManager): Promise<Set<string>> {
    const rows: Array<{ cluster_a: string; cluster_b: string }> = await m.query(
      `SELECT cluster_a, cluster_b FROM cluster_pair_verdicts WHERE NOT same`,
    );
    return new Set(rows.map((r) => pairKey(r.cluster_a, r.cluster_b)));
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
    const names: Array<{ id: string; name: string; subcategory: string | null }> = await m.query(
      `SELECT id, name, subcategory FROM clusters WHERE id = ANY($1::uuid[])`,
      [ids.filter((id) => !id.startsWith(NEW_PREFIX))],
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
    if (!ids.length) return new Set();
    const rows: Array<{ id: string }> = await m.query(
      `SELECT id FROM clusters WHERE id = ANY($1::uuid[]) AND pm_status = 'new' AND cardinality(locked_fields) = 0
          AND pm_notes = '' AND owner IS NULL AND external_url IS NULL`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
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
