import { dot, fromEntries, normalize } from '@pim/text-mining';
import { randomUUID } from 'node:crypto';
import { CLUSTERING, ClusterEngine, EngineCluster, IssueText } from './cluster-engine';

/** Three problems, written several ways, in an order where ids would sort differently. */
const TEXTS: IssueText[] = [
  { summary: 'CSV export times out', detail: 'The sales report export to CSV never finishes.' },
  { summary: 'Password reset email never arrives', detail: 'No reset mail after clicking forgot password.' },
  { summary: 'iOS app crashes at login', detail: 'The iPhone app closes as soon as I sign in.' },
  { summary: 'Export to CSV fails', detail: 'Exporting the report as CSV stops with a timeout.' },
  { summary: 'Reset password mail missing', detail: 'The forgot password email does not come.' },
  { summary: 'App crash on login (iOS)', detail: 'Since the update the iOS app crashes at sign in.' },
  { summary: 'CSV download of report hangs', detail: 'The CSV export spins forever.' },
  { summary: 'No password reset email', detail: 'Reset email never delivered, checked spam.' },
  { summary: 'iPhone app crashes when logging in', detail: 'Crash right after login on iOS 17.' },
];

/**
 * Clusters as sets of positions in TEXTS, each listed with the engine id of its cluster (the engine numbers new
 * clusters in the order it meets them: `new:1` is the cluster the first item it took started).
 */
function partition(ids: string[]): string[] {
  const engine = ClusterEngine.create();
  engine.observe(TEXTS);
  const result = engine.assign(
    [],
    TEXTS.map((t, i) => ({ id: ids[i]!, vector: engine.vectorize(t) })),
  );
  const position = new Map(ids.map((id, i) => [id, i]));
  const byCluster = new Map<string, number[]>();
  for (const a of result.assignments)
    byCluster.set(a.clusterId, [...(byCluster.get(a.clusterId) ?? []), position.get(a.issueId)!]);
  return [...byCluster].map(([id, p]) => `${id}=${p.sort((a, b) => a - b).join(',')}`).sort();
}

describe('ClusterEngine.assign', () => {
  it('takes the batch in the order given: random issue ids give the same clusters every time', () => {
    const first = partition(TEXTS.map(() => randomUUID()));
    for (let run = 0; run < 5; run++) expect(partition(TEXTS.map(() => randomUUID()))).toEqual(first);
    // Ids that sort against the given order change nothing either.
    expect(partition(TEXTS.map((_, i) => `z${String(TEXTS.length - i).padStart(2, '0')}`))).toEqual(first);
    // …the three problems come apart, numbered in the order given (not in the order of the ids).
    expect(first).toEqual(['new:1=0,3,6', 'new:2=1,4,7', 'new:3=2,5,8']);
  });

  it('reports assignments and touched clusters by issue id, never by batch key', () => {
    const engine = ClusterEngine.create();
    engine.observe(TEXTS);
    const ids = TEXTS.map(() => randomUUID());
    const result = engine.assign(
      [],
      TEXTS.map((t, i) => ({ id: ids[i]!, vector: engine.vectorize(t) })),
    );
    expect(result.assignments.map((a) => a.issueId).sort()).toEqual([...ids].sort());
    expect(result.touched.flatMap((c) => c.members).sort()).toEqual([...ids].sort());
  });
});

describe('ClusterEngine.consolidate', () => {
  /**
   * One cluster per text group, with the members' vectors summed as the service stores them; stored members are
   * counted (`size`), not listed, as the service loads them.
   */
  function clustersOf(engine: ClusterEngine, groups: IssueText[][]): EngineCluster[] {
    return groups.map((g, i) => ({
      id: `c${i + 1}`,
      seq: i + 1,
      sum: engine.sumOf(g),
      members: [],
      size: g.length,
    }));
  }

  it('folds a cluster too small for its category into its nearest cluster, never an isolated one', () => {
    const groups = [
      TEXTS.filter((_, i) => i % 3 === 0),
      TEXTS.filter((_, i) => i % 3 === 1),
      TEXTS.filter((_, i) => i % 3 === 2),
    ];
    const big = groups.map((g) => [...g, ...g, ...g]); // 9 members each
    const stray: IssueText = {
      summary: 'Report export slow',
      detail: 'The sales report takes ages before the file appears.',
    };
    const alone: IssueText = { summary: 'Dark mode colours', detail: 'Purple theme looks odd.' };
    const engine = ClusterEngine.create();
    engine.observe([...TEXTS, stray, alone]);
    const clusters = clustersOf(engine, [...big, [stray], [alone]]);
    const [strayId, aloneId] = ['c4', 'c5'];
    // Below the auto-merge bar: only its size makes it merge.
    const csv = engine.sumOf(big[0]!);
    const score = dot(normalize(fromEntries(csv)), engine.vectorize(stray));
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(CLUSTERING.autoMergeThreshold);

    const { merges } = engine.consolidate(clusters, () => true);
    expect(merges).toEqual([expect.objectContaining({ into: 'c1', from: strayId })]);
    expect(merges.some((m) => m.from === aloneId || m.into === aloneId)).toBe(false);
  });

  it('leaves clusters a PM has shaped alone, however small', () => {
    const engine = ClusterEngine.create();
    const stray: IssueText = {
      summary: 'Report export slow',
      detail: 'The sales report takes ages before the file appears.',
    };
    engine.observe([...TEXTS, stray]);
    const groups = [0, 1, 2].map((r) => TEXTS.filter((_, i) => i % 3 === r));
    const clusters = clustersOf(engine, [...groups.map((g) => [...g, ...g, ...g]), [stray]]);
    expect(engine.consolidate(clusters, (id) => id !== 'c4').merges).toEqual([]);
  });
});

describe('ClusterEngine.name', () => {
  it("names a cluster with the customers' words, not support's notes in the details", () => {
    const note = ' Support logged it as a feature request.';
    const members: IssueText[] = [
      { summary: 'We need a weekly PDF of the pipeline report emailed', detail: `Weekly PDF by email, please.${note}` },
      { summary: 'Weekly PDF of the pipeline report by email?', detail: `Could the report come as a PDF.${note}` },
      { summary: 'Send the pipeline report as a weekly PDF', detail: `Every Monday would be great.${note}` },
      { summary: 'Schedule a weekly PDF of the pipeline report', detail: `For our managers.${note}` },
    ];
    const engine = ClusterEngine.create();
    engine.observe([...TEXTS, ...members]);
    const { name } = engine.name(members);
    expect(name).toMatch(/pdf/i);
    expect(name).not.toMatch(/logged|support/i);
  });

  it('does not name a cluster after its issue type', () => {
    const members: IssueText[] = [
      { summary: 'Feature request: dark mode for the dashboard', detail: '' },
      { summary: 'Feature request: dark mode please', detail: '' },
      { summary: 'Feature request: a dark theme', detail: '' },
      { summary: 'Feature request: night mode', detail: '' },
    ];
    const engine = ClusterEngine.create();
    engine.observe([...TEXTS, ...members]);
    const { name } = engine.name(members);
    expect(name).toMatch(/dark|mode/i);
    expect(name).not.toMatch(/feature|request/i);
  });
});
