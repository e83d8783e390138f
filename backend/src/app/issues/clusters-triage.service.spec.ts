import { BadRequestException, ConflictException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { fakeDataSource } from '../../testing/fake-data-source';
import type { AuditService } from '@app/auth/audit.service';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { ClusterEngine } from './clustering/cluster-engine';
import type { ClusterStatsService } from './clustering/cluster-stats.service';
import { ClusteringStateService, fingerprint } from './clustering/clustering-state.service';
import { ClustersTriageService } from './clusters-triage.service';
import type { IssuesCacheService } from './issues-cache.service';
import type { IssuesQueryService } from './issues-query.service';
import type { ClusterIssueRepository, IssueRow } from './repositories/cluster-issue.repository';
import type { ClusterPairRepository } from './repositories/cluster-pair.repository';
import type { ClusterRepository, ClusterRow } from './repositories/cluster.repository';
import type { PlacementRepository } from './repositories/placement.repository';

/** PM triage with its repositories faked: merge and split. */

const actor: AuthenticatedUser = { id: 'user-1', email: 'pm@example.com', role: 'editor' } as AuthenticatedUser;

function clusterRow(id: string, overrides: Partial<ClusterRow> = {}): ClusterRow {
  return {
    id,
    seq: '1',
    category: 'billing',
    subcategory: null,
    name: `Cluster ${id}`,
    summary: '',
    keyphrases: [],
    named_by: 'keyphrases',
    issue_count: 3,
    ticket_count: 3,
    unique_customers: 2,
    first_seen: null,
    last_seen: null,
    count_7d: 0,
    count_prior_7d: 0,
    trend_pct: null,
    emerging: false,
    severity_max: null,
    active: true,
    pm_status: 'new',
    pm_notes: '',
    owner: null,
    external_url: null,
    locked_fields: [],
    merged_into: null,
    created_at: new Date('2026-01-01T00:00:00Z'),
    updated_at: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

function issueRow(id: string, clusterId: string, summary: string, ticketId: number): IssueRow {
  return { id, ticketId, category: 'billing', subcategory: 'payments', summary, detail: '', clusterId };
}

function setup(rows: ClusterRow[], members: IssueRow[] = []) {
  const tx = {} as EntityManager;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const clusters = {
    lockById: jest.fn(async (id: string) => byId.get(id)),
    findById: jest.fn(async (id: string) => byId.get(id) ?? clusterRow(id)),
    centroidSums: jest.fn(async (ids: string[]) =>
      ids.map((id, k) => ({ id, centroid: [[k, 1]] as Array<[number, number]>, count: 2 })),
    ),
    mergeInto: jest.fn(async () => undefined),
    setMergedCentroid: jest.fn(async () => undefined),
    createSplit: jest.fn(async () => undefined),
    moveIssues: jest.fn(async () => undefined),
    lockMembership: jest.fn(async () => undefined),
    existingIds: jest.fn(async (ids: string[]) => ids.filter((id) => byId.has(id))),
  };
  const clusterIssues = {
    lockVisible: jest.fn(async (ids: string[]) => members.filter((m) => ids.includes(m.id))),
    countIn: jest.fn(async (id: string) => members.filter((m) => m.clusterId === id).length),
  };
  const placements = { pin: jest.fn(async () => undefined) };
  const pairs = {
    dropProposalsOf: jest.fn(async () => undefined),
    dropProposal: jest.fn(async (): Promise<{ score: number } | undefined> => undefined),
    rejectPair: jest.fn(async () => undefined),
  };
  const state = {
    lock: jest.fn(async () => 1),
    bump: jest.fn(async () => undefined),
    load: jest.fn(async () => ({ engine: ClusterEngine.create(), version: 1 })),
    rebuildCentroids: jest.fn(async () => undefined),
  };
  const stats = { refresh: jest.fn(async () => 1) };
  const audit = { record: jest.fn(async () => undefined) };
  const cache = { invalidate: jest.fn(async () => undefined) };
  const service = new ClustersTriageService(
    fakeDataSource(tx),
    clusters as unknown as ClusterRepository,
    clusterIssues as unknown as ClusterIssueRepository,
    placements as unknown as PlacementRepository,
    pairs as unknown as ClusterPairRepository,
    state as unknown as ClusteringStateService,
    stats as unknown as ClusterStatsService,
    audit as unknown as AuditService,
    cache as unknown as IssuesCacheService,
    { byIds: jest.fn(async () => []) } as unknown as IssuesQueryService,
  );
  return { service, clusters, placements, pairs, state, stats, audit, cache, tx };
}

describe('ClustersTriageService.merge (repositories faked)', () => {
  it('merges the sources into the target through mergeInto, as a PM, with the summed centroid', async () => {
    const f = setup([clusterRow('t'), clusterRow('s1'), clusterRow('s2')]);

    await f.service.merge('t', ['s1', 's2'], actor);

    expect(f.clusters.mergeInto).toHaveBeenCalledWith(
      { into: 't', from: ['s1', 's2'], reason: 'merge', actorId: 'user-1' },
      f.tx,
    );
    // Centroid sums of target and sources added up (terms 0, 1, 2 once each), sizes summed.
    expect(f.clusters.setMergedCentroid).toHaveBeenCalledWith(
      't',
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
      6,
      f.tx,
    );
    expect(f.pairs.dropProposalsOf).toHaveBeenCalledWith(['s1', 's2'], f.tx);
    expect(f.stats.refresh).toHaveBeenCalledWith(f.tx, ['t']);
    expect(f.state.lock).toHaveBeenCalledWith(f.tx);
    expect(f.state.bump).toHaveBeenCalledWith(f.tx);
    expect(f.audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'cluster.merge',
        entityId: 't',
        after: expect.objectContaining({ mergedSourceIds: ['s1', 's2'] }),
      }),
      f.tx,
    );
    expect(f.cache.invalidate).toHaveBeenCalled();
  });

  it('refuses the target among the sources, and a source already merged elsewhere', async () => {
    const f = setup([clusterRow('t'), clusterRow('gone', { merged_into: 'other' })]);

    await expect(f.service.merge('t', ['t'], actor)).rejects.toBeInstanceOf(BadRequestException);
    await expect(f.service.merge('t', ['gone'], actor)).rejects.toBeInstanceOf(ConflictException);
    expect(f.clusters.mergeInto).not.toHaveBeenCalled();
  });
});

describe('ClustersTriageService.split (repositories faked)', () => {
  const members = [
    issueRow('i1', 'c', 'Invoice charged twice', 1),
    issueRow('i2', 'c', 'Double charge on invoice', 2),
    issueRow('i3', 'c', 'Refund never arrived', 3),
  ];

  it('moves the issues into a new cluster named by the PM, locked, with pinned placements', async () => {
    const f = setup([clusterRow('c')], members);

    await f.service.split('c', ['i3'], '  Refunds  ', actor);

    const [[created]] = f.clusters.createSplit.mock.calls as unknown as [[Record<string, unknown>]];
    expect(created).toMatchObject({
      category: 'billing',
      name: 'Refunds',
      namedBy: 'pm',
      namedAtCount: 1,
      lockedFields: ['membership', 'name'],
    });
    const newId = created['id'] as string;
    expect(f.clusters.moveIssues).toHaveBeenCalledWith(['i3'], newId, 'split', 'user-1', f.tx);
    expect(f.placements.pin).toHaveBeenCalledWith(
      [{ ticketId: 3, fingerprint: fingerprint(members[2]!), category: 'billing' }],
      newId,
      f.tx,
    );
    // The source keeps its other issues, its membership locked against automatic changes.
    expect(f.clusters.lockMembership).toHaveBeenCalledWith(['c'], false, f.tx);
    expect(f.state.rebuildCentroids).toHaveBeenCalledWith(f.tx, expect.any(ClusterEngine), ['c', newId]);
  });

  it('without a name, the new cluster is named by keyphrases and only its membership is locked', async () => {
    const f = setup([clusterRow('c')], members);

    await f.service.split('c', ['i1', 'i2'], undefined, actor);

    expect(f.clusters.createSplit).toHaveBeenCalledWith(
      expect.objectContaining({ namedBy: 'keyphrases', namedAtCount: 2, lockedFields: ['membership'] }),
      f.tx,
    );
  });

  it('refuses issues of another cluster, and a split that would leave the cluster empty', async () => {
    const f = setup([clusterRow('c')], [...members, issueRow('x1', 'other', 'Elsewhere', 9)]);

    await expect(f.service.split('c', ['i1', 'x1'], undefined, actor)).rejects.toBeInstanceOf(BadRequestException);
    await expect(f.service.split('c', ['i1', 'i2', 'i3'], undefined, actor)).rejects.toThrow(/empty/);
    expect(f.clusters.createSplit).not.toHaveBeenCalled();
    expect(f.clusters.moveIssues).not.toHaveBeenCalled();
  });
});

describe('ClustersTriageService.rejectProposal (repositories faked)', () => {
  it('drops the proposal, records the PM verdict on the ordered pair, and audits the score it had', async () => {
    const f = setup([clusterRow('b'), clusterRow('a')]);
    f.pairs.dropProposal.mockResolvedValueOnce({ score: 0.25 });

    await f.service.rejectProposal('b', 'a', actor);

    expect(f.pairs.dropProposal).toHaveBeenCalledWith('a', 'b', f.tx);
    expect(f.pairs.rejectPair).toHaveBeenCalledWith('a', 'b', 'user-1', f.tx);
    expect(f.audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'cluster.proposal_rejected',
        before: { clusterId: 'b', candidateId: 'a', proposed: true, score: 0.25 },
      }),
      f.tx,
    );
  });

  it('says when there was no proposal, and refuses unknown clusters', async () => {
    const f = setup([clusterRow('a'), clusterRow('b')]);

    await f.service.rejectProposal('a', 'b', actor);
    expect(f.audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ before: { clusterId: 'a', candidateId: 'b', proposed: false, score: null } }),
      f.tx,
    );
    await expect(f.service.rejectProposal('a', 'nope', actor)).rejects.toThrow(/nope not found/);
  });
});
