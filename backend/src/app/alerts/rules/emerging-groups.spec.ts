import { Condition, groupEmerging } from './alert-rules';

const emerging = (clusterId: string, issueCount: number, firstSeen = '2026-12-01T00:00:00Z'): Condition => ({
  kind: 'emerging',
  clusterId,
  trigger: { issueCount, firstSeen, minIssues: 5 },
});

describe('emerging conditions grouped by the clustering’s merge proposals', () => {
  it('makes one group of clusters proposed for merging (transitively), led by the largest', () => {
    const conditions = [emerging('a', 6), emerging('b', 9), emerging('c', 7), emerging('d', 5)];
    const groups = groupEmerging(conditions, [
      ['a', 'b'],
      ['c', 'a'],
    ]);
    expect(groups.map((g) => [g.primary.clusterId, g.siblings.map((s) => s.clusterId)])).toEqual([
      ['b', ['c', 'a']],
      ['d', []],
    ]);
  });

  it('ties go to the cluster first seen, then to the smaller id', () => {
    const older = emerging('y', 5, '2026-11-30T00:00:00Z');
    expect(groupEmerging([emerging('x', 5), older], [['x', 'y']])[0]?.primary.clusterId).toBe('y');
    expect(groupEmerging([emerging('q', 5), emerging('p', 5)], [['q', 'p']])[0]?.primary.clusterId).toBe('p');
  });

  it('ignores proposals with clusters outside the conditions, and leaves other kinds alone', () => {
    const spike: Condition = { kind: 'spike', clusterId: 'a', trigger: {} };
    const groups = groupEmerging(
      [spike, emerging('a', 6), emerging('b', 5)],
      [
        ['a', 'z'],
        ['z', 'b'],
      ],
    );
    expect(groups.map((g) => [g.primary.kind, g.primary.clusterId, g.siblings.length])).toEqual([
      ['spike', 'a', 0],
      ['emerging', 'a', 0],
      ['emerging', 'b', 0],
    ]);
  });
});
