import { AnthropicStub, exportDatasetToString, ZendeskDataset } from '@pim/testing';
import { Client } from 'pg';
import { api, closeSession, openSessionWithClaudeStub, signInNewUser, TestApp } from '../../testing/test-app';
import { importAndWait } from '../../testing/runs';

const MODEL = 'claude-sonnet-4-6';

type Call = { tool: string; text: string };
type Centroid = Array<[number, number]>;

/** `b` moved towards `a` until cosine(a, b) is `target` (centroids are sparse sums; both are normalised first). */
function pullTowards(b: Centroid, a: Centroid, target: number): Centroid {
  const norm = (v: Centroid) => {
    const n = Math.sqrt(v.reduce((s, [, w]) => s + w * w, 0)) || 1;
    return new Map(v.map(([k, w]) => [k, w / n]));
  };
  const [na, nb] = [norm(a), norm(b)];
  const mix = (x: number) => {
    const out = new Map<number, number>();
    for (const [k, w] of nb) out.set(k, (1 - x) * w);
    for (const [k, w] of na) out.set(k, (out.get(k) ?? 0) + x * w);
    return out;
  };
  const cos = (m: Map<number, number>) => {
    let dot = 0;
    let len = 0;
    for (const [k, w] of m) {
      dot += w * (na.get(k) ?? 0);
      len += w * w;
    }
    return dot / Math.sqrt(len);
  };
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (cos(mix(mid)) < target) lo = mid;
    else hi = mid;
  }
  return [...mix(lo).entries()].sort((x, y) => x[0] - y[0]);
}

const dataset = new ZendeskDataset({ tickets: 240, seed: 7, piiShare: 0.3, endTime: Date.UTC(2026, 10, 20) });
const calls: Call[] = [];
/** What the stub answers to cluster calls; switched by the tests. */
const answers = { naming: 'ok' as 'ok' | 'empty', same: true, sameUnless: '' };
let named = 0;
const stub = new AnthropicStub({
  responder: (req) => {
    const tool = req.tool?.name ?? '';
    if (tool === 'name_cluster') {
      calls.push({ tool, text: req.userText });
      if (answers.naming === 'empty') return { name: '  ', summary: '' };
      named++;
      return { name: `Claude cluster ${named}.`, summary: `What customers of cluster ${named} run into.` };
    }
    if (tool === 'judge_same_problem') {
      calls.push({ tool, text: req.userText });
      const same = answers.same && !(answers.sameUnless && req.userText.includes(answers.sameUnless));
      return { same, reason: same ? 'Same defect.' : 'Different causes.' };
    }
    return undefined; // the analyzer's extraction: the stub's default answer
  },
});
let t: TestApp;
let admin: string;
let viewer: string;
let db: Client;
let firstRun: any;
const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
let lines: string[] = [];
const jsonl = async (from: number, to: number) => lines.slice(from, to).join('\n');

beforeAll(async () => {
  ({
    t,
    token: admin,
    db,
  } = await openSessionWithClaudeStub(stub, { ANALYSIS_MODEL: MODEL, ANALYSIS_MODE: 'realtime' }));
  viewer = await signInNewUser(t.url, admin, 'viewer');
  lines = (await exportDatasetToString(dataset, { format: 'jsonl' })).split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(230); // deleted tickets are not exported
  firstRun = await importAndWait(t, admin, await jsonl(0, 200));
  expect(firstRun.status).toBe('succeeded');
}, 240_000);

afterAll(() => closeSession(t, db, stub));

describe('clustering with Claude (Anthropic stub): names and summaries', () => {
  it('names every cluster of 2+ issues with Claude, and leaves singletons to keyphrases', async () => {
    const clusters = await rows(`SELECT id, name, summary, named_by, issue_count FROM clusters WHERE active`);
    const multi = clusters.filter((c) => c.issue_count >= 2);
    expect(multi.length).toBeGreaterThan(3);
    for (const c of multi) {
      expect(c.named_by).toBe('claude');
      // Trailing period dropped from names, kept in summaries.
      expect(c.name).toMatch(/^Claude cluster \d+$/);
      expect(c.summary).toMatch(/^What customers of cluster \d+ run into\.$/);
    }
    for (const c of clusters.filter((x) => x.issue_count === 1)) expect(c.named_by).toBe('keyphrases');
    expect(calls.filter((c) => c.tool === 'name_cluster')).toHaveLength(multi.length);
  });

  it('sends central issues as data, redacted, and bills every cluster call to the run', async () => {
    const naming = calls.filter((c) => c.tool === 'name_cluster');
    for (const c of naming) {
      expect(c.text).toMatch(/<cluster category="[a-z_]+"[^>]* issues="\d+">/);
      expect(c.text).toContain('<issue>');
      expect(c.text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/); // no e-mail address leaves the process
    }
    const clusterCalls = stub.requests.filter(
      (r) =>
        r.path === '/v1/messages' &&
        ['name_cluster', 'judge_same_problem'].includes((r.body as any)?.tool_choice?.name),
    );
    expect(clusterCalls.length).toBe(calls.length);
    const [ledger] = await rows(
      `SELECT count(*)::int AS n, sum(input_tokens + cache_read_tokens + cache_write_5m_tokens)::int AS input,
              sum(cost_usd)::float AS cost
         FROM analysis_usage WHERE ticket_id IS NULL AND run_id = $1`,
      [firstRun.id],
    );
    expect(ledger.n).toBe(calls.length);
    expect(ledger.input).toBeGreaterThan(0);
    expect(ledger.cost).toBeGreaterThan(0);
  });

  it('does not name clusters again when they did not change', async () => {
    const before = calls.length;
    const run = await importAndWait(t, admin, await jsonl(0, 200));
    expect(run.status).toBe('succeeded');
    // (A merge Claude confirmed last run can make a new borderline pair, so judge calls may still happen.)
    expect(calls.slice(before).filter((c) => c.tool === 'name_cluster')).toHaveLength(0);
  }, 180_000);
});

describe('clustering with Claude (Anthropic stub): borderline merges', () => {
  it('asks Claude about borderline pairs: merges the ones it calls the same, never asks twice about the others', async () => {
    // Two pairs of untouched clusters of one category, their centroids pulled to cosine ≈ 0.27 (between the
    // proposal bar 0.2 and the auto-merge bar 0.35); Claude says pair one differs and pair two is the same.
    const [{ category }] = await rows(
      `SELECT category FROM clusters WHERE active AND pm_status = 'new' AND cardinality(locked_fields) = 0
        GROUP BY category ORDER BY count(*) DESC LIMIT 1`,
    );
    const list = await rows(
      `SELECT id, centroid FROM clusters WHERE active AND category = $1 AND pm_status = 'new'
          AND cardinality(locked_fields) = 0 ORDER BY issue_count DESC, seq LIMIT 4`,
      [category],
    );
    expect(list).toHaveLength(4);
    const pairs = [
      [list[0], list[1], 'Pair one'],
      [list[2], list[3], 'Pair two'],
    ] as const;
    for (const [a, b, label] of pairs) {
      await db.query(`UPDATE clusters SET centroid = $2::jsonb, name = $3 WHERE id = $1`, [
        b.id,
        JSON.stringify(pullTowards(b.centroid, a.centroid, 0.27)),
        `${label} B`,
      ]);
      await db.query(`UPDATE clusters SET name = $2 WHERE id = $1`, [a.id, `${label} A`]);
    }
    answers.same = true;
    answers.sameUnless = 'Pair one';
    const before = calls.length;
    const run = await importAndWait(t, admin, await jsonl(0, 200));
    expect(run.status).toBe('succeeded');
    const judged = calls.slice(before).filter((c) => c.tool === 'judge_same_problem');
    expect(judged.some((c) => c.text.includes('Pair one'))).toBe(true);
    expect(judged.some((c) => c.text.includes('Pair two'))).toBe(true);
    for (const c of judged) expect(c.text).toMatch(/<cluster_a [^>]*current_name="[^"]*"[^>]*>[\s\S]*<cluster_b /);

    // Pair two merged (the larger survives), its issues moved with a history row; pair one kept apart.
    const [two] = await rows(`SELECT id, merged_into, active FROM clusters WHERE id = $1`, [list[3].id]);
    expect(two).toMatchObject({ merged_into: list[2].id, active: false });
    const moved = await rows(
      `SELECT count(*)::int AS n FROM cluster_memberships WHERE from_cluster_id = $1 AND reason = 'auto_merge'`,
      [list[3].id],
    );
    expect(moved[0].n).toBeGreaterThan(0);
    const [one] = await rows(`SELECT merged_into FROM clusters WHERE id = $1`, [list[1].id]);
    expect(one.merged_into).toBeNull();
    const [verdict] = await rows(
      `SELECT same, decided_by, model, reason FROM cluster_pair_verdicts
        WHERE $1 IN (cluster_a, cluster_b) AND $2 IN (cluster_a, cluster_b)`,
      [list[0].id, list[1].id],
    );
    expect(verdict).toEqual({ same: false, decided_by: 'claude', model: MODEL, reason: 'Different causes.' });
    const proposed = await rows(
      `SELECT 1 FROM cluster_merge_proposals WHERE $1 IN (cluster_id, candidate_id) AND $2 IN (cluster_id, candidate_id)`,
      [list[0].id, list[1].id],
    );
    expect(proposed).toHaveLength(0);

    // The next run does not ask about pair one again.
    const again = calls.length;
    expect((await importAndWait(t, admin, await jsonl(0, 200))).status).toBe('succeeded');
    expect(
      calls.slice(again).filter((c) => c.tool === 'judge_same_problem' && c.text.includes('Pair one')),
    ).toHaveLength(0);
  }, 240_000);
});

describe('clustering with Claude (Anthropic stub): PM names and fallbacks', () => {
  it('keeps a PM name; falls back to keyphrases when Claude answers nothing usable, and retries next run', async () => {
    const [locked] = await rows(
      `SELECT id FROM clusters WHERE active AND named_by = 'claude' ORDER BY issue_count DESC LIMIT 1`,
    );
    const patch = await api(t.url, 'PATCH', `/api/clusters/${locked.id}`, { token: admin, body: { name: 'PM name' } });
    expect(patch.status).toBe(200);
    // New clusters' names get an empty answer: the run still succeeds, the clusters keep keyphrase names.
    await db.query(`UPDATE clusters SET named_at_count = 1 WHERE id <> $1 AND named_by = 'claude'`, [locked.id]);
    answers.naming = 'empty';
    const failed = await importAndWait(t, admin, await jsonl(200, lines.length));
    expect(failed.status).toBe('succeeded');
    const fallback = await rows(
      `SELECT id, name FROM clusters WHERE active AND issue_count >= 2 AND named_by = 'keyphrases'`,
    );
    expect(fallback.length).toBeGreaterThan(0);
    for (const c of fallback) expect(c.name).not.toMatch(/^Claude cluster/);
    // The next run names them with Claude; the PM's name stays.
    answers.naming = 'ok';
    const retry = await importAndWait(t, admin, await jsonl(200, lines.length));
    expect(retry.status).toBe('succeeded');
    const stillKeyphrases = await rows(
      `SELECT id FROM clusters WHERE active AND issue_count >= 2 AND named_by = 'keyphrases'`,
    );
    expect(stillKeyphrases).toHaveLength(0);
    const [pm] = await rows(`SELECT name, named_by FROM clusters WHERE id = $1`, [locked.id]);
    expect(pm).toEqual({ name: 'PM name', named_by: 'pm' });
  }, 300_000);
});

describe('clustering with Claude (Anthropic stub): rejected merge proposals', () => {
  it('lets an editor reject a merge proposal for good (audited); viewers cannot; bad ids are 4xx', async () => {
    // A pair the runs propose (one side shaped by a PM, so Claude was not asked), else any two clusters.
    const [proposed] = await rows(
      `SELECT cluster_id AS a, candidate_id AS b FROM cluster_merge_proposals ORDER BY score DESC LIMIT 1`,
    );
    const [a, b] = proposed
      ? [{ id: proposed.a }, { id: proposed.b }]
      : await rows(`SELECT id FROM clusters WHERE active ORDER BY issue_count DESC, id LIMIT 2`);
    if (!proposed)
      await db.query(`INSERT INTO cluster_merge_proposals (cluster_id, candidate_id, score) VALUES ($1, $2, 0.25)`, [
        a.id,
        b.id,
      ]);
    const path = `/api/clusters/${a.id}/merge-proposals/${b.id}`;
    expect((await api(t.url, 'DELETE', path, { token: viewer })).status).toBe(403);
    expect((await api(t.url, 'DELETE', `/api/clusters/${a.id}/merge-proposals/nope`, { token: admin })).status).toBe(
      400,
    );
    expect((await api(t.url, 'DELETE', `/api/clusters/${a.id}/merge-proposals/${a.id}`, { token: admin })).status).toBe(
      400,
    );
    const unknown = await api(
      t.url,
      'DELETE',
      `/api/clusters/${a.id}/merge-proposals/00000000-0000-4000-8000-000000000000`,
      { token: admin },
    );
    expect(unknown.status).toBe(404);

    const detailBefore = await api(t.url, 'GET', `/api/clusters/${a.id}`, { token: admin });
    expect(JSON.stringify(detailBefore.body)).toContain(b.id);
    expect((await api(t.url, 'DELETE', path, { token: admin })).status).toBe(204);
    const [verdict] = await rows(
      `SELECT same, decided_by FROM cluster_pair_verdicts WHERE $1 IN (cluster_a, cluster_b)
                                    AND $2 IN (cluster_a, cluster_b)`,
      [a.id, b.id],
    );
    expect(verdict).toEqual({ same: false, decided_by: 'pm' });
    const audit = await rows(`SELECT action, before, after FROM audit_log WHERE action = 'cluster.proposal_rejected'`);
    expect(audit).toHaveLength(1);
    expect(audit[0].before).toMatchObject({ candidateId: b.id, proposed: true });

    // The next run recomputes proposals: the rejected pair is not among them.
    const run = await importAndWait(t, admin, await jsonl(0, lines.length));
    expect(run.status).toBe('succeeded');
    const again = await rows(
      `SELECT 1 FROM cluster_merge_proposals WHERE $1 IN (cluster_id, candidate_id) AND $2 IN (cluster_id, candidate_id)`,
      [a.id, b.id],
    );
    expect(again).toHaveLength(0);
  }, 240_000);
});
