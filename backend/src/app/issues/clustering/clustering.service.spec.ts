import { EntityManager } from 'typeorm';
import { fakeDataSource } from '../../../testing/fake-data-source';
import type { IssuesCacheService } from '../issues-cache.service';
import type { ClusterIssueRepository, IssueRow } from '../repositories/cluster-issue.repository';
import type { ClusterPairRepository } from '../repositories/cluster-pair.repository';
import type { CentroidRow, ClusterRepository } from '../repositories/cluster.repository';
import type { ClusteringStateRepository } from '../repositories/clustering-state.repository';
import type { Placement, PlacementRepository } from '../repositories/placement.repository';
import type { ClusterAiService } from './cluster-ai.service';
import { ClusterEngine, IssueText } from './cluster-engine';
import type { ClusterStatsService } from './cluster-stats.service';
import { ClusteringStateService, fingerprint } from './clustering-state.service';
import { ClusteringWriter } from './clustering-writer';
import { ClusteringService } from './clustering.service';

/** The clustering step with its repositories faked: what it decides, not how the SQL does it. */

const BILLING: IssueText[] = [
  { summary: 'Invoice charged twice', detail: 'My card was charged twice for the same invoice.' },
  { summary: 'Double charge on invoice', detail: 'The monthly invoice was billed twice to my card.' },
  { summary: 'Charged twice this month', detail: 'Two charges for one invoice on the credit card.' },
];
const CRASHES: IssueText[] = [
  { summary: 'App crashes when uploading a photo', detail: 'The iOS app closes as soon as I upload a photo.' },
  { summary: 'Photo upload crashes the app', detail: 'Uploading a picture makes the iPhone app crash.' },
];

let nextId = 0;
function issue(text: IssueText, category = 'billing', ticketId = 100 + nextId): IssueRow {
  nextId++;
  return { id: `issue-${nextId}`, ticketId, category, subcategory: 'payments', clusterId: null, ...text };
}

/** A stored cluster whose centroid is the sum of `members` under `engine`'s model. */
function storedCluster(engine: ClusterEngine, id: string, seq: number, members: IssueRow[]) {
  const row: CentroidRow = {
    id,
    seq,
    category: members[0]!.category,
    centroid: engine.sumOf(members),
    count: members.length,
  };
  return { row };
}

/** A stored cluster of billing issues (of `tickets`, all of BILLING by default), its centroid on `history`. */
function billingCluster(history: IssueText[], id: string, seq: number, tickets = BILLING) {
  return storedCluster(
    engineOf(history),
    id,
    seq,
    tickets.map((t) => issue(t)),
  );
}

interface Options {
  history?: IssueText[];
  pending?: IssueRow[];
  clusters?: Array<ReturnType<typeof storedCluster>>;
  placements?: Map<number, Placement[]>;
  /** Clusters a PM shaped (locked fields, status, notes…): never merged on their own. */
  shaped?: string[];
  /** Versions `lockVersion` answers in turn (the state read says 1). */
  lockVersions?: number[];
}

/** The faked repositories, answering from `options`. */
function fakeRepositories(options: Options) {
  const stored = options.clusters ?? [];
  const byId = new Map(stored.map((c) => [c.row.id, c]));
  const clusters = {
    hideIssuesOfUnreportedTickets: jest.fn(async () => undefined),
    staleIds: jest.fn(async () => []),
    activeCategories: jest.fn(async () => [...new Set(stored.map((c) => c.row.category))]),
    centroidsInCategory: jest.fn(async (category: string) =>
      stored.filter((c) => c.row.category === category).map((c) => c.row),
    ),
    centroidOf: jest.fn(async (id: string) => byId.get(id)?.row),
    untouchedIds: jest.fn(async (ids: string[]) => ids.filter((id) => !(options.shaped ?? []).includes(id))),
    namesOf: jest.fn(async () => []),
    createEmpty: jest.fn(async () => undefined),
    mergeInto: jest.fn(async () => undefined),
    assignIssues: jest.fn(async () => undefined),
    saveCentroids: jest.fn(async () => undefined),
  };
  /** Issues the step assigned so far: no longer unclustered. */
  const clustered = () =>
    new Set(
      (clusters.assignIssues.mock.calls as unknown as Array<[Array<{ issueId: string }>]>).flatMap(([rows]) =>
        rows.map((r) => r.issueId),
      ),
    );
  const unclustered = (except: string[] = []) =>
    (options.pending ?? []).filter((i) => !clustered().has(i.id) && !except.includes(i.id));
  const issues = {
    unclustered: jest.fn(async (_m: unknown, page: { limit?: number; except?: string[] } = {}) =>
      unclustered(page.except).slice(0, page.limit ?? Infinity),
    ),
    countUnclustered: jest.fn(async () => unclustered().length),
    membersOf: jest.fn(async () => []),
  };
  const placements = {
    ofTickets: jest.fn(async () => options.placements ?? new Map()),
    remember: jest.fn(async () => undefined),
  };
  const pairs = {
    rejected: jest.fn(async () => []),
    recordVerdicts: jest.fn(async () => undefined),
    replaceProposals: jest.fn(async () => undefined),
  };
  const model = engineOf(options.history ?? []).snapshot();
  const versions = [...(options.lockVersions ?? [])];
  const stateRepository = {
    read: jest.fn(async () => ({ model, version: 1 })),
    lockVersion: jest.fn(async () => versions.shift() ?? 1),
    bump: jest.fn(async () => undefined),
  };
  return { clusters, issues, placements, pairs, stateRepository };
}

function setup(options: Options) {
  const { clusters, issues, placements, pairs, stateRepository } = fakeRepositories(options);
  const tx = {} as EntityManager;
  const dataSource = fakeDataSource(tx);
  const state = new ClusteringStateService(
    dataSource,
    stateRepository as unknown as ClusteringStateRepository,
    clusters as unknown as ClusterRepository,
    issues as unknown as ClusterIssueRepository,
  );
  const stats = {
    refresh: jest.fn(async () => 0),
    name: jest.fn(async () => ({ named: 0, byClaude: 0 })),
  };
  const writer = new ClusteringWriter(
    clusters as unknown as ClusterRepository,
    placements as unknown as PlacementRepository,
    pairs as unknown as ClusterPairRepository,
  );
  const service = new ClusteringService(
    dataSource,
    clusters as unknown as ClusterRepository,
    issues as unknown as ClusterIssueRepository,
    placements as unknown as PlacementRepository,
    pairs as unknown as ClusterPairRepository,
    writer,
    state,
    stats as unknown as ClusterStatsService,
    { invalidate: jest.fn(async () => undefined) } as unknown as IssuesCacheService,
    { available: false, adjudicate: jest.fn() } as unknown as ClusterAiService,
  );
  /** Where the step put each issue (issue id → cluster id, reason). */
  const assigned = () => {
    const calls = clusters.assignIssues.mock.calls as unknown as Array<
      [Array<{ issueId: string; clusterId: string; reason: string; score: number }>]
    >;
    return new Map(calls.flatMap(([rows]) => rows.map((r) => [r.issueId, r] as const)));
  };
  return { service, clusters, issues, placements, pairs, stateRepository, stats, assigned, tx, dataSource };
}

/** An engine with the history's model, to build stored centroids the service's engine can read. */
function engineOf(history: IssueText[]): ClusterEngine {
  const engine = ClusterEngine.create();
  engine.observe(history);
  return engine;
}

describe('ClusteringService.clusterPending (repositories faked): assignment', () => {
  beforeEach(() => (nextId = 0));

  it('clusters a run larger than a page page by page: each page read, written on its own; statistics once', async () => {
    const history = [...BILLING, ...CRASHES];
    const billing = storedCluster(
      engineOf(history),
      'c-billing',
      1,
      BILLING.map((t) => issue(t)),
    );
    const pending = [...BILLING, ...BILLING.slice(0, 2)].map((t) => issue(t));
    const f = setup({ history, clusters: [billing], pending });
    f.service.pageSize = 2;
    const progress: Array<[number, number]> = [];

    const summary = await f.service.clusterPending('run-1', async (done, total) => void progress.push([done, total]));

    // Three pages of at most two issues (the last one short): read, decided and written one after the other.
    expect(f.issues.unclustered.mock.calls.map(([, page]) => page?.limit)).toEqual([2, 2, 2]);
    const writes = f.clusters.assignIssues.mock.calls as unknown as Array<[unknown[]]>;
    expect(writes.map(([rows]) => rows.length)).toEqual([2, 2, 1]);
    expect(f.stateRepository.bump).toHaveBeenCalledTimes(3);
    // Every issue once, each joining the stored cluster of its problem.
    const placed = f.assigned();
    expect(pending.map((i) => placed.get(i.id)?.clusterId)).toEqual(pending.map(() => 'c-billing'));
    expect(summary).toMatchObject({ issues: 5, joined: 5, created: 0 });
    // Statistics and names once for the run, after its last page; progress runs over the whole run.
    expect(f.stats.refresh).toHaveBeenCalledTimes(1);
    expect(f.stats.name).toHaveBeenCalledTimes(1);
    expect(progress.at(-1)).toEqual([5, 5]);
    expect(progress.every(([done, total]) => total === 5 && done <= 5)).toBe(true);
  });

  it('a new issue joins the nearest cluster above the bar; an unrelated one opens a new cluster', async () => {
    const history = [...BILLING, ...CRASHES];
    const billing = billingCluster(history, 'c-billing', 1);
    const twice = issue({ summary: 'Invoice charged twice again', detail: 'Card charged twice for one invoice.' });
    const crash = issue({ summary: 'App crashes uploading a photo', detail: 'Photo upload crashes the app.' });
    const f = setup({ history, clusters: [billing], pending: [twice, crash] });

    const summary = await f.service.clusterPending('run-1');

    expect(summary).toMatchObject({ issues: 2, joined: 1, created: 1, placed: 0, autoMerged: 0, attempts: 1 });
    const placed = f.assigned();
    expect(placed.get(twice.id)).toMatchObject({ clusterId: 'c-billing', reason: 'assigned' });
    // The new cluster got a database id (a uuid), created before the issue was assigned to it.
    const [[created]] = f.clusters.createEmpty.mock.calls as unknown as [[Array<{ id: string; category: string }>]];
    expect(created).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), category: 'billing' }]);
    expect(placed.get(crash.id)).toMatchObject({ clusterId: created[0]!.id, reason: 'assigned' });
    expect(f.clusters.assignIssues).toHaveBeenCalledWith(expect.any(Array), 'run-1', f.tx);
    // Centroids of both clusters are saved (and the model), in the transaction that checked the version.
    const saved = (f.clusters.saveCentroids.mock.calls as unknown as Array<[Array<{ id: string; count: number }>]>)
      .flatMap(([rows]) => rows)
      .map((r) => [r.id, r.count]);
    expect(saved).toEqual(
      expect.arrayContaining([
        ['c-billing', 4],
        [created[0]!.id, 1],
      ]),
    );
    expect(f.stateRepository.bump).toHaveBeenCalledWith(f.tx, expect.objectContaining({ terms: expect.any(Array) }));
    expect(f.clusters.mergeInto).not.toHaveBeenCalled();
  });

  it('known issues keep their cluster: the placement memory wins over the text', async () => {
    const history = [...BILLING, ...CRASHES];
    const billing = billingCluster(history, 'c-billing', 1);
    // Re-analysed: the same issue of ticket 7 (same fingerprint) now reads like a crash report.
    const known = issue(CRASHES[0]!, 'billing', 7);
    const placements = new Map([
      [7, [{ fingerprint: fingerprint(known), category: 'billing', clusterId: 'c-billing', pinned: false }]],
    ]);
    const f = setup({ history, clusters: [billing], pending: [known], placements });

    const summary = await f.service.clusterPending(null);

    expect(summary).toMatchObject({ issues: 1, placed: 1, joined: 0, created: 0 });
    expect(f.assigned().get(known.id)).toMatchObject({ clusterId: 'c-billing', reason: 'placed', score: 1 });
    expect(f.clusters.createEmpty).not.toHaveBeenCalled();
    // The placement is remembered again where the issue went.
    expect(f.placements.remember).toHaveBeenCalledWith(
      [{ ticketId: 7, fingerprint: fingerprint(known), category: 'billing' }],
      ['c-billing'],
      f.tx,
    );
  });
});

describe('ClusteringService.clusterPending (repositories faked): consolidation and conflicts', () => {
  beforeEach(() => (nextId = 0));

  it('two untouched clusters of the same problem merge through mergeInto (the larger survives)', async () => {
    const history = [...BILLING, ...CRASHES];
    const big = billingCluster(history, 'c-big', 2);
    const small = billingCluster(history, 'c-small', 1, BILLING.slice(0, 2));
    const f = setup({ history, clusters: [big, small] });

    const summary = await f.service.clusterPending('run-2');

    expect(summary.autoMerged).toBe(1);
    expect(f.clusters.mergeInto).toHaveBeenCalledTimes(1);
    expect(f.clusters.mergeInto).toHaveBeenCalledWith(
      { into: 'c-big', from: ['c-small'], reason: 'auto_merge', score: expect.any(Number), runId: 'run-2' },
      f.tx,
    );
    expect(f.pairs.replaceProposals).toHaveBeenCalledWith([], f.tx);
  });

  it('a cluster a PM shaped (locked fields) is never merged on its own: the pair is proposed instead', async () => {
    const history = [...BILLING, ...CRASHES];
    const big = billingCluster(history, 'c-big', 2);
    const locked = billingCluster(history, 'c-locked', 1, BILLING.slice(0, 2));
    const f = setup({ history, clusters: [big, locked], shaped: ['c-locked'] });

    const summary = await f.service.clusterPending(null);

    expect(summary).toMatchObject({ autoMerged: 0, proposals: 1 });
    expect(f.clusters.mergeInto).not.toHaveBeenCalled();
    expect(f.pairs.replaceProposals).toHaveBeenCalledWith(
      [{ a: 'c-big', b: 'c-locked', score: expect.any(Number) }],
      f.tx,
    );
  });

  it('computes again when a PM changed the state meanwhile (version conflict), writing only once', async () => {
    const f = setup({ history: BILLING, pending: [issue(BILLING[0]!)], lockVersions: [2] });

    const summary = await f.service.clusterPending(null);

    expect(summary.attempts).toBe(2);
    expect(f.clusters.assignIssues).toHaveBeenCalledTimes(1);
    expect(f.stateRepository.bump).toHaveBeenCalledTimes(1);
  });
});
