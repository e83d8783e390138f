import { cosine, dot, fromEntries, linearCombination, normalize, norm, stableScore, truncate } from './sparse';

describe('sparse vectors', () => {
  const a = fromEntries([
    [3, 1],
    [1, 2],
  ]);
  const b = fromEntries([
    [1, 1],
    [2, 5],
  ]);

  it('sorts ids, drops zeros and rejects duplicates', () => {
    expect(Array.from(a.ids)).toEqual([1, 3]);
    expect(Array.from(fromEntries([[1, 0]]).ids)).toEqual([]);
    expect(() =>
      fromEntries([
        [1, 1],
        [1, 2],
      ]),
    ).toThrow(/duplicate/);
  });

  it('computes dot, norm, cosine', () => {
    expect(dot(a, b)).toBe(2);
    expect(norm(a)).toBeCloseTo(Math.sqrt(5));
    expect(cosine(a, b)).toBeCloseTo(2 / (Math.sqrt(5) * Math.sqrt(26)));
    expect(cosine(a, fromEntries([]))).toBe(0);
    expect(norm(normalize(b))).toBeCloseTo(1);
  });

  it('truncates to the strongest terms and combines linearly', () => {
    const t = truncate(b, 1);
    expect(Array.from(t.ids)).toEqual([2]);
    expect(t.weights[0]).toBeCloseTo(1);
    const c = linearCombination([
      [a, 1],
      [b, -1],
    ]);
    expect(Array.from(c.ids)).toEqual([1, 2, 3]);
    expect(Array.from(c.weights)).toEqual([1, -5, 1]);
  });

  it('rounds scores so summation order cannot flip decisions', () => {
    expect(stableScore(0.1 + 0.2)).toBe(stableScore(0.3));
  });
});
