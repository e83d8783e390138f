import { mineDocuments, nearestNeighbourQuantile } from './pipeline';
import { fromEntries, normalize } from './sparse';
import { prng, shuffle, syntheticTickets } from './testing/fixtures';

describe('mineDocuments', () => {
  const tickets = syntheticTickets(12, 5);

  it('groups tickets by topic in topic mode, with labels', () => {
    const r = mineDocuments(tickets, { mode: 'topic' });
    expect(r.clusterOf.size).toBe(tickets.length);
    let majority = 0;
    for (const c of r.clusters) {
      const counts = new Map<string, number>();
      for (const id of c.members) {
        const t = tickets.find((x) => x.id === id)?.topic as string;
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      majority += Math.max(...counts.values());
      expect(c.label.length).toBeGreaterThan(0);
    }
    expect(majority / tickets.length).toBeGreaterThanOrEqual(0.9);
  });

  it('returns K similar tickets, never the ticket itself, most similar first', () => {
    const r = mineDocuments(tickets, { mode: 'problem', similar: 3 });
    for (const t of tickets) {
      const s = r.similar?.get(t.id) ?? [];
      expect(s.length).toBeLessThanOrEqual(3);
      expect(s.map((n) => n.id)).not.toContain(t.id);
      for (let i = 1; i < s.length; i++) expect(s[i - 1].score).toBeGreaterThanOrEqual(s[i].score);
    }
  });

  it('property: shuffled input gives identical clusters, labels and similar lists', () => {
    const reference = mineDocuments(tickets, { mode: 'topic', similar: 5 });
    const rand = prng(9);
    for (let k = 0; k < 3; k++) {
      const r = mineDocuments(shuffle(tickets, rand), { mode: 'topic', similar: 5 });
      expect(r.clusters).toEqual(reference.clusters);
      expect([...(r.similar ?? [])].sort()).toEqual([...(reference.similar ?? [])].sort());
    }
  });

  it('handles empty texts and empty input', () => {
    const r = mineDocuments([
      { id: 'x', subject: '', body: '' },
      { id: 'y', subject: 'Export broken', body: 'csv export fails' },
    ]);
    expect(r.clusterOf.size).toBe(2);
    expect(mineDocuments([]).clusters).toEqual([]);
  });
});

describe('nearestNeighbourQuantile', () => {
  it('reads quantiles of nearest-neighbour similarity', () => {
    const a = normalize(fromEntries([[1, 1]]));
    const b = normalize(
      fromEntries([
        [1, 1],
        [2, 1],
      ]),
    );
    const c = normalize(fromEntries([[3, 1]]));
    expect(nearestNeighbourQuantile([a, a, c], 0)).toBe(0);
    expect(nearestNeighbourQuantile([a, a, c], 1)).toBe(1);
    expect(nearestNeighbourQuantile([a, b], 0.5)).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
