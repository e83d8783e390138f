import { ClusterItem, IncrementalClusterer, MergeEvent } from './clusterer';
import { fromEntries, normalize } from './sparse';
import { TextModel } from './text-model';
import { prng, shuffle, syntheticTickets } from './testing/fixtures';

const vec = (entries: Array<[number, number]>) => normalize(fromEntries(entries));

function itemsOf(model: TextModel, tickets: ReturnType<typeof syntheticTickets>): ClusterItem[] {
  return tickets.map((t) => ({ id: t.id, vector: model.vectorize(t) }));
}

function partition(c: IncrementalClusterer, ids: readonly string[]): Map<string, string> {
  return new Map(ids.map((id) => [id, c.clusterOf(id) as string]));
}

describe('IncrementalClusterer', () => {
  it('joins the best cluster above the threshold, otherwise starts a new one', () => {
    const c = new IncrementalClusterer({ threshold: 0.5, refineIterations: 0 });
    const out = c.assign([
      {
        id: 'a',
        vector: vec([
          [1, 1],
          [2, 1],
        ]),
      },
      {
        id: 'b',
        vector: vec([
          [1, 1],
          [2, 0.9],
        ]),
      },
      { id: 'c', vector: vec([[7, 1]]) },
    ]);
    expect(out.map((a) => [a.id, a.clusterId, a.created])).toEqual([
      ['a', 'c1', true],
      ['b', 'c1', false],
      ['c', 'c2', true],
    ]);
    expect(c.members('c1')).toEqual(['a', 'b']);
    expect(c.clusters().map((x) => [x.id, x.size])).toEqual([
      ['c1', 2],
      ['c2', 1],
    ]);
  });

  it('is idempotent for items it already has', () => {
    const c = new IncrementalClusterer({ threshold: 0.5 });
    c.assign([{ id: 'a', vector: vec([[1, 1]]) }]);
    const again = c.assign([{ id: 'a', vector: vec([[9, 1]]) }]);
    expect(again[0].clusterId).toBe('c1');
    expect(c.clusterCount).toBe(1);
  });

  it('consolidates clusters whose centroids became similar, keeping the larger cluster id', () => {
    const c = new IncrementalClusterer({ threshold: 0.9, mergeThreshold: 0.6, refineIterations: 0 });
    c.assign([
      {
        id: 'a1',
        vector: vec([
          [1, 1],
          [2, 0.2],
        ]),
      },
      {
        id: 'a2',
        vector: vec([
          [1, 1],
          [2, 0.25],
        ]),
      },
      {
        id: 'b1',
        vector: vec([
          [1, 1],
          [3, 0.9],
        ]),
      },
      { id: 'z1', vector: vec([[9, 1]]) },
    ]);
    expect(c.clusterCount).toBe(3);
    const events = c.consolidate();
    expect(events).toEqual([expect.objectContaining({ into: 'c1', from: 'c2', reason: 'similar' })]);
    expect(c.clusterOf('b1')).toBe('c1');
    expect(c.clusterOf('z1')).toBe('c3');
  });
});

describe('IncrementalClusterer: small clusters, snapshots, order', () => {
  it('absorbs clusters smaller than minClusterSize into their nearest cluster', () => {
    const c = new IncrementalClusterer({
      threshold: 0.95,
      mergeThreshold: 0.99,
      minClusterSize: 2,
      absorbThreshold: 0.1,
    });
    c.assign([
      { id: 'a1', vector: vec([[1, 1]]) },
      { id: 'a2', vector: vec([[1, 1]]) },
      {
        id: 'b1',
        vector: vec([
          [1, 1],
          [3, 1],
        ]),
      },
      { id: 'z1', vector: vec([[9, 1]]) },
    ]);
    const events = c.consolidate();
    expect(events).toEqual([expect.objectContaining({ into: 'c1', from: 'c2', reason: 'small' })]);
    expect(c.clusterOf('z1')).toBe('c3'); // nothing similar enough: stays alone
  });

  it('round-trips through snapshot/restore and keeps assigning the same way', () => {
    const tickets = syntheticTickets(6, 3);
    const model = new TextModel();
    model.addDocuments(tickets);
    const items = itemsOf(model, tickets);
    const a = new IncrementalClusterer({ threshold: 0.3 });
    a.assign(items.slice(0, 12));
    const b = IncrementalClusterer.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.assign(items.slice(12))).toEqual(a.assign(items.slice(12)));
  });

  it('restored with unlisted members (counted, not listed), assigns and consolidates as with every member listed', () => {
    const tickets = syntheticTickets(8, 7);
    const model = new TextModel();
    model.addDocuments(tickets);
    const items = itemsOf(model, tickets);
    const options = { threshold: 0.3, mergeThreshold: 0.3, minClusterSize: 4, absorbThreshold: 0.05 };
    const first = new IncrementalClusterer(options);
    first.assign(items.slice(0, 30));
    const listed = first.snapshot();
    // Sizes differ between clusters, so merge winners and small clusters depend on the counts.
    expect(new Set(listed.clusters.map((c) => c.members.length)).size).toBeGreaterThan(1);
    const counted = {
      ...listed,
      clusters: listed.clusters.map((c) => ({ ...c, members: [], unlisted: c.members.length })),
    };
    const a = IncrementalClusterer.restore(JSON.parse(JSON.stringify(listed)));
    const b = IncrementalClusterer.restore(JSON.parse(JSON.stringify(counted)));
    expect(b.clusters().map((c) => [c.id, c.size])).toEqual(a.clusters().map((c) => [c.id, c.size]));
    expect(b.assign(items.slice(30))).toEqual(a.assign(items.slice(30)));
    expect(b.consolidate()).toEqual(a.consolidate());
    const sizes = (c: IncrementalClusterer) => c.clusters().map((x) => [x.id, x.size]);
    expect(sizes(b)).toEqual(sizes(a));
    // Only the listed (new) members are reported; the counted ones survive a snapshot as counts.
    const snapshot = b.snapshot();
    for (const c of snapshot.clusters) {
      const same = a.snapshot().clusters.find((x) => x.id === c.id)!;
      expect(c.members.length + (c.unlisted ?? 0)).toBe(same.members.length);
      expect(c.members.every((m) => items.slice(30).some((i) => i.id === m))).toBe(true);
    }
  });

  it("batchOrder 'given' takes a batch in the caller's order, 'id' (default) in id order", () => {
    // Two different problems; z arrives first but sorts last.
    const items: ClusterItem[] = [
      { id: 'z', vector: vec([[1, 1]]) },
      { id: 'a', vector: vec([[2, 1]]) },
    ];
    const byId = new IncrementalClusterer({ threshold: 0.5 });
    const given = new IncrementalClusterer({ threshold: 0.5, batchOrder: 'given' });
    expect(byId.assign(items).find((x) => x.id === 'a')!.clusterId).toBe('c1');
    expect(given.assign(items).find((x) => x.id === 'z')!.clusterId).toBe('c1');
    // Kept through a snapshot.
    const restored = IncrementalClusterer.restore(JSON.parse(JSON.stringify(given.snapshot())));
    expect(restored.options.batchOrder).toBe('given');
  });
});

describe('IncrementalClusterer: properties', () => {
  it('property: shuffled input gives the same clusters', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const tickets = syntheticTickets(8, seed);
      const model = new TextModel();
      model.addDocuments(tickets);
      const items = itemsOf(model, tickets);
      const run = (order: ClusterItem[]) => {
        const c = new IncrementalClusterer({ threshold: 0.3, mergeThreshold: 0.3 });
        c.assign(order);
        c.consolidate();
        return partition(
          c,
          tickets.map((t) => t.id),
        );
      };
      const reference = run(items);
      const rand = prng(seed * 101);
      for (let k = 0; k < 3; k++) expect(run(shuffle(items, rand))).toEqual(reference);
    }
  });

  it('property: adding tickets never moves an existing ticket except by merging similar clusters', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const first = syntheticTickets(6, seed, 'a');
      const second = syntheticTickets(6, seed + 1000, 'b');
      const model = new TextModel();
      model.addDocuments(first);
      const c = new IncrementalClusterer({ threshold: 0.35, mergeThreshold: 0.5 });
      c.assign(itemsOf(model, first));
      c.consolidate();
      const before = partition(
        c,
        first.map((t) => t.id),
      );

      model.addDocuments(second);
      c.assign(itemsOf(model, second));
      const afterAssign = partition(
        c,
        first.map((t) => t.id),
      );
      expect(afterAssign).toEqual(before); // assign alone never moves old tickets

      const events: MergeEvent[] = c.consolidate();
      for (const e of events) expect(e.score).toBeGreaterThanOrEqual(0.5);
      // Replaying the merges on the old partition explains every change.
      const resolve = new Map<string, string>();
      for (const e of events) resolve.set(e.from, e.into);
      const follow = (id: string): string => (resolve.has(id) ? follow(resolve.get(id) as string) : id);
      const after = partition(
        c,
        first.map((t) => t.id),
      );
      for (const t of first) expect(after.get(t.id)).toBe(follow(before.get(t.id) as string));
      // Old tickets that were together stay together.
      for (const x of first)
        for (const y of first) if (before.get(x.id) === before.get(y.id)) expect(after.get(x.id)).toBe(after.get(y.id));
    }
  });
});

describe('IncrementalClusterer: synthetic topics', () => {
  it('groups synthetic topics cleanly', () => {
    const tickets = syntheticTickets(10, 42);
    const model = new TextModel({ minDf: 2 });
    model.addDocuments(tickets);
    const c = new IncrementalClusterer({ threshold: 0.25, mergeThreshold: 0.25, minClusterSize: 3 });
    c.assign(itemsOf(model, tickets));
    c.consolidate();
    // Purity: each cluster's majority topic covers ≥ 90% of its members.
    let majority = 0;
    for (const info of c.clusters()) {
      const counts = new Map<string, number>();
      for (const id of c.members(info.id)) {
        const topic = tickets.find((t) => t.id === id)?.topic as string;
        counts.set(topic, (counts.get(topic) ?? 0) + 1);
      }
      majority += Math.max(...counts.values());
    }
    expect(majority / tickets.length).toBeGreaterThanOrEqual(0.9);
    expect(c.clusterCount).toBeLessThanOrEqual(8);
  });
});
