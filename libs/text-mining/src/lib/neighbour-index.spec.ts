import { NeighbourIndex } from './neighbour-index';
import { SparseVector, cosine, fromEntries, normalize } from './sparse';

/** Deterministic pseudo-random generator for fixtures (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomVector(rand: () => number, vocab: number, terms: number): SparseVector {
  const m = new Map<number, number>();
  while (m.size < terms) m.set(Math.floor(rand() * vocab), rand() + 0.1);
  return normalize(fromEntries(m));
}

describe('NeighbourIndex', () => {
  it('returns the exact cosine top-k, ties by id', () => {
    const rand = prng(7);
    const index = new NeighbourIndex();
    const vectors = new Map<string, SparseVector>();
    for (let i = 0; i < 300; i++) {
      const v = randomVector(rand, 200, 8);
      vectors.set(`d${String(i).padStart(3, '0')}`, v);
      index.add(`d${String(i).padStart(3, '0')}`, v);
    }
    for (let q = 0; q < 20; q++) {
      const query = randomVector(rand, 200, 8);
      const expected = [...vectors]
        .map(([id, v]) => ({ id, score: Math.round(cosine(query, v) * 1e9) / 1e9 }))
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, 5);
      expect(index.query(query, 5)).toEqual(expected);
    }
  });

  it('breaks score ties by id and honours exclude / minScore', () => {
    const index = new NeighbourIndex();
    const v = normalize(fromEntries([[1, 1]]));
    index.add('b', v);
    index.add('a', v);
    index.add('c', normalize(fromEntries([[2, 1]])));
    expect(index.query(v, 3).map((n) => n.id)).toEqual(['a', 'b']);
    expect(index.query(v, 3, { exclude: new Set(['a']) }).map((n) => n.id)).toEqual(['b']);
    expect(index.query(v, 3, { minScore: 1.5 })).toEqual([]);
  });

  it('supports remove and upsert (with compaction)', () => {
    const index = new NeighbourIndex();
    const v1 = normalize(fromEntries([[1, 1]]));
    const v2 = normalize(fromEntries([[2, 1]]));
    for (let i = 0; i < 200; i++) index.add(`x${i}`, v1);
    for (let i = 0; i < 150; i++) index.remove(`x${i}`);
    expect(index.size).toBe(50);
    expect(index.query(v1, 100)).toHaveLength(50);
    index.upsert('x199', v2);
    expect(index.query(v2, 5).map((n) => n.id)).toEqual(['x199']);
    expect(() => index.add('x199', v1)).toThrow(/already/);
    expect(index.remove('nope')).toBe(false);
  });
});

describe('NeighbourIndex: limits and scale', () => {
  it('bounds work with an accumulator limit and still finds strong matches', () => {
    const index = new NeighbourIndex({ maxCandidates: 10 });
    // 1,000 documents share a weak common term; one shares the strong term of the query.
    for (let i = 0; i < 1000; i++)
      index.add(
        `n${i}`,
        normalize(
          fromEntries([
            [0, 1],
            [i + 10, 3],
          ]),
        ),
      );
    index.add(
      'target',
      normalize(
        fromEntries([
          [0, 0.1],
          [5, 1],
        ]),
      ),
    );
    const q = normalize(
      fromEntries([
        [0, 0.2],
        [5, 1],
      ]),
    );
    const res = index.query(q, 3);
    expect(res[0].id).toBe('target');
  });

  it('scales to 100,000 items with fast queries', () => {
    const rand = prng(11);
    const index = new NeighbourIndex();
    for (let i = 0; i < 100_000; i++) index.add(`t${i}`, randomVector(rand, 50_000, 12));
    const t0 = Date.now();
    for (let q = 0; q < 100; q++) expect(index.query(randomVector(rand, 50_000, 12), 10).length).toBeGreaterThan(0);
    // Generous bound for a shared CI machine: ~ms per query in practice.
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
