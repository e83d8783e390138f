/**
 * Every benchmark set through the real CLI (`npm run mine`, built `dist/backend/mine.js`) with ONE configuration,
 * every set's figures next to its baselines measured in the same run (issue 19).
 *
 *   npm run bench:mining [-- --no-build] [--only dstc11,hwu64] [--write] [--names N]
 *
 * The set's kind decides only the flags its README gives: grouping sets `--all-tickets` (scored on `clusterId`),
 * duplicate reports `--similar 10` (scored on `similar` and `duplicates`), the issue-type set no flag (scored on the
 * main issue's `issueType`: no product issue = question). Baselines: TF-IDF + k-means with the TRUE k (grouping),
 * TF-IDF cosine top-10 (duplicates), majority class and a title-keyword rule (issue type). `--write` replaces the
 * "All sets" block of bench/RESULTS.md (between its markers; first time: after the Mining notes marker, which
 * run.ts keeps). Skips (exit 0) when the data folder is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Doc, Sparse, cosineTopK, kmeans, tfidf } from './baselines';
import { accuracy, ari, nmi, pairwise, recallAtK } from './metrics';

const REPO = path.resolve(__dirname, '../..');
const { eng: STOP_WORDS }: { eng: string[] } = require('stopword');
const STOP = new Set<string>(STOP_WORDS);

type Kind = 'grouping' | 'duplicates' | 'issue-type';
interface SetSpec {
  name: string;
  file: string;
  kind: Kind;
  label: 'group_id' | 'label';
}

/** Every file of the data folder must be listed here (an unknown file fails the run: nothing is skipped silently). */
const SETS: SetSpec[] = [
  { name: 'dstc11', file: 'grouping_dstc11_insurance_dev.jsonl', kind: 'grouping', label: 'group_id' },
  { name: 'banking77', file: 'classify_banking77_train.jsonl', kind: 'grouping', label: 'label' },
  { name: 'clinc150', file: 'grouping_clinc150_test.jsonl', kind: 'grouping', label: 'group_id' },
  { name: 'hwu64', file: 'grouping_hwu64_fold1.jsonl', kind: 'grouping', label: 'group_id' },
  { name: 'gitbugs', file: 'grouping_gitbugs_seamonkey.jsonl', kind: 'duplicates', label: 'group_id' },
  { name: 'nlbse24', file: 'classify_nlbse24_train.jsonl', kind: 'issue-type', label: 'label' },
];
const FLAGS: Record<Kind, string[]> = {
  grouping: ['--all-tickets'],
  duplicates: ['--similar', '10'],
  'issue-type': [],
};

interface Row extends Doc {
  gold: string;
  created?: string;
  repo?: string;
}

interface OutLine {
  id: number;
  clusterId: string | null;
  clusterName: string | null;
  issueType: string | null;
  similar?: number[];
  duplicates?: number[];
}

interface NamesCheck {
  clusters: number;
  distinctive: number;
  stopEdge: number;
  examples: string[];
}

interface SetResult {
  name: string;
  kind: Kind;
  docs: number;
  groups: number;
  ms: number;
  peakMb: number | null;
  /** User + system CPU seconds of the CLI's process tree (the wall time depends on the shared machine's load). */
  cpuS: number | null;
  cli: Record<string, number | string>;
  baseline: Record<string, number | string>;
  names?: NamesCheck;
  perRepo?: Array<{
    repo: string;
    f1: number;
    heldOut: number;
    train: number;
    majority: number;
    keyword: number;
    predicted: Record<string, number>;
  }>;
}

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const has = (name: string) => process.argv.includes(name);
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function load(spec: SetSpec, dir: string): Row[] {
  return readFileSync(path.join(dir, spec.file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return {
        id: String(r['id']),
        subject: String(r['subject'] ?? ''),
        body: String(r['body'] ?? ''),
        gold: String(r[spec.label]),
        created: typeof r['created'] === 'string' ? r['created'] : undefined,
        repo: typeof r['repo'] === 'string' ? r['repo'] : undefined,
      };
    });
}

/** `npm run mine` on the set (ids rewritten to line numbers: the product takes positive integer ids). */
function runCli(
  spec: SetSpec,
  rows: Row[],
): { out: Map<string, OutLine>; ms: number; peakMb: number | null; cpuS: number | null } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-mine-all-'));
  try {
    const input = path.join(tmp, 'input.jsonl');
    const output = path.join(tmp, 'output.jsonl');
    writeFileSync(
      input,
      rows
        .map((r, i) =>
          JSON.stringify({
            id: i + 1,
            subject: r.subject,
            body: r.body,
            ...(r.created ? { created_at: r.created } : {}),
          }),
        )
        .join('\n') + '\n',
    );
    const rss = path.join(tmp, 'rss');
    const cmd = ['npm', 'run', '--silent', 'mine', '--', '--input', input, '--output', output, ...FLAGS[spec.kind]];
    const timeBin = existsSync('/usr/bin/time');
    const t0 = performance.now();
    const r = timeBin
      ? spawnSync('/usr/bin/time', ['-o', rss, '-f', '%M %U %S', ...cmd], {
          cwd: REPO,
          encoding: 'utf8',
          maxBuffer: 2 ** 26,
        })
      : spawnSync(cmd[0]!, cmd.slice(1), { cwd: REPO, encoding: 'utf8', maxBuffer: 2 ** 26 });
    const ms = Math.round(performance.now() - t0);
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`npm run mine failed on ${spec.name}`);
    }
    const [kb, user, sys] = timeBin ? readFileSync(rss, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
    const peakMb = kb ? Math.round(kb / 1024) : null;
    const cpuS = user !== undefined && sys !== undefined ? Math.round((user + sys) * 10) / 10 : null;
    const out = new Map<string, OutLine>();
    for (const line of readFileSync(output, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as OutLine;
      out.set(rows[o.id - 1]!.id, o);
    }
    return { out, ms, peakMb, cpuS };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function groupingScores(gold: Map<string, string>, pred: Map<string, string>) {
  const pw = pairwise(gold, pred);
  return {
    clusters: new Set(pred.values()).size,
    acc: r4(accuracy(gold, pred)),
    nmi: r4(nmi(gold, pred)),
    ari: r4(ari(gold, pred)),
    pairP: r4(pw.precision),
    pairR: r4(pw.recall),
  };
}

/** Crude suffix stripping, only so "crashes" in a name meets "crash" in a member. */
const stem = (w: string) => w.replace(/(ing|ed|es|s)$/, '');
const words = (s: string) => (s.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []).filter((w) => w.length > 1);

/**
 * Point 5 of issue 19: a cluster's name should contain a term that tells it apart from its nearest neighbour (the
 * other cluster whose TF-IDF centroid is most similar): a name word found in ≥ 20 % of the cluster's members and in
 * at least twice the share of the neighbour's. Also counts names that start or end with a stop word.
 */
function namesCheck(rows: Row[], vectors: Sparse[], dim: number, out: Map<string, OutLine>): NamesCheck {
  const byCluster = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const c = out.get(r.id)?.clusterId;
    if (c) byCluster.set(c, [...(byCluster.get(c) ?? []), i]);
  });
  const clusters = [...byCluster].filter(([, m]) => m.length >= 3);
  const centroids = clusters.map(([, m]) => {
    const c = new Float64Array(dim);
    for (const i of m) {
      const v = vectors[i]!;
      for (let t = 0; t < v.idx.length; t++) c[v.idx[t]!] += v.val[t]!;
    }
    let n = 0;
    for (const x of c) n += x * x;
    n = Math.sqrt(n) || 1;
    for (let t = 0; t < dim; t++) c[t]! /= n;
    return c;
  });
  const stems = rows.map((r) => new Set(words(`${r.subject} ${r.body}`).map(stem)));
  const share = (members: number[], s: string) => members.filter((i) => stems[i]!.has(s)).length / members.length;
  let distinctive = 0;
  let stopEdge = 0;
  const examples: string[] = [];
  clusters.forEach(([id, members], a) => {
    let best = -1;
    let bestScore = -Infinity;
    centroids.forEach((c, b) => {
      if (a === b) return;
      let s = 0;
      const ca = centroids[a]!;
      for (let t = 0; t < dim; t++) s += ca[t]! * c[t]!;
      if (s > bestScore) {
        bestScore = s;
        best = b;
      }
    });
    const name = out.get(rows[members[0]!]!.id)?.clusterName ?? '';
    const nameWords = words(name);
    if (nameWords.length && (STOP.has(nameWords[0]!) || STOP.has(nameWords[nameWords.length - 1]!))) stopEdge++;
    const neighbour = best >= 0 ? clusters[best]![1] : [];
    const ok = nameWords
      .filter((w) => !STOP.has(w))
      .map(stem)
      .some((s) => {
        const mine = share(members, s);
        return mine >= 0.2 && mine >= 2 * (neighbour.length ? share(neighbour, s) : 0);
      });
    if (ok) distinctive++;
    if (examples.length < 6 && a % Math.max(1, Math.floor(clusters.length / 6)) === 0)
      examples.push(`${name} (${members.length})${ok ? '' : ' ✗'}`);
    void id;
  });
  return { clusters: clusters.length, distinctive, stopEdge, examples };
}

/** Issue type: the CLI's main issue type, as the set's labels (no product issue = a question). */
function typeOf(issueType: string | null): 'bug' | 'feature' | 'question' {
  if (issueType === 'feature_request') return 'feature';
  if (issueType === null || issueType === 'documentation_gap' || issueType === 'ux_confusion') return 'question';
  return 'bug';
}

function macroF1(gold: string[], pred: string[]): number {
  const labels = [...new Set(gold)];
  let sum = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      if (pred[i] === l && g === l) tp++;
      else if (pred[i] === l) fp++;
      else if (g === l) fn++;
    });
    sum += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return sum / labels.length;
}

/** A trivial rule on the title only, for scale: error words → bug, "how/why/?" → question, else feature. */
function keywordType(r: Row): string {
  const t = r.subject.toLowerCase();
  if (/\b(error|crash|fail|bug|broken|exception|not work|doesn't work|wrong)/.test(t)) return 'bug';
  if (/\b(how|why|what|can i|is it possible)\b|\?/.test(t)) return 'question';
  return 'feature';
}

/** The shape's weights were fitted on the even-numbered half of the issue-type set (bench/mining/learn-shape.ts). */
const heldOut = (id: string) => Number(/(\d+)$/.exec(id)?.[1] ?? 0) % 2 === 1;

function groupingResult(result: SetResult, rows: Row[], out: Map<string, OutLine>): void {
  const goldMap = new Map(rows.map((r) => [r.id, r.gold]));
  const { vectors, dim } = tfidf(rows);
  const pred = new Map(rows.map((r) => [r.id, out.get(r.id)?.clusterId ?? `none:${r.id}`]));
  result.cli = groupingScores(goldMap, pred);
  const t0 = performance.now();
  const labels = kmeans(vectors, dim, result.groups);
  result.baseline = {
    ...groupingScores(goldMap, new Map(rows.map((r, i) => [r.id, String(labels[i])]))),
    ms: Math.round(performance.now() - t0),
  };
  result.names = namesCheck(rows, vectors, dim, out);
}

function duplicatesResult(result: SetResult, rows: Row[], out: Map<string, OutLine>): void {
  const goldMap = new Map(rows.map((r) => [r.id, r.gold]));
  const { vectors, dim } = tfidf(rows);
  const idOfLine = rows.map((r) => r.id);
  const ranked = new Map(rows.map((r) => [r.id, (out.get(r.id)?.similar ?? []).map((n) => idOfLine[n - 1]!)]));
  const rk = recallAtK(goldMap, ranked, [1, 5, 10]);
  const dupGroup = new Map(
    rows.map((r) => {
      const o = out.get(r.id);
      const d = o?.duplicates ?? [];
      return [r.id, d.length ? `dup:${Math.min(o!.id, ...d)}` : `none:${r.id}`];
    }),
  );
  const dp = pairwise(goldMap, dupGroup);
  const clusterPred = new Map(rows.map((r) => [r.id, out.get(r.id)?.clusterId ?? `none:${r.id}`]));
  const cp = pairwise(goldMap, clusterPred);
  result.cli = {
    queries: rk.queries,
    r1: r4(rk.recall[1]!),
    r5: r4(rk.recall[5]!),
    r10: r4(rk.recall[10]!),
    dupP: r4(dp.precision),
    dupR: r4(dp.recall),
    clusterP: r4(cp.precision),
    clusterR: r4(cp.recall),
  };
  const base = recallAtK(goldMap, cosineTopK(idOfLine, vectors, dim, 10), [1, 5, 10]);
  result.baseline = { r1: r4(base.recall[1]!), r5: r4(base.recall[5]!), r10: r4(base.recall[10]!) };
  // The names check on the product's clusters of bug reports (clusters of ≥ 3 reports).
  result.names = namesCheck(rows, vectors, dim, out);
}

function issueTypeResult(result: SetResult, rows: Row[], out: Map<string, OutLine>): void {
  const repos = [...new Set(rows.map((r) => r.repo ?? ''))].sort();
  const f1Of = (mine: Row[]) =>
    r4(
      macroF1(
        mine.map((r) => r.gold),
        mine.map((r) => typeOf(out.get(r.id)?.issueType ?? null)),
      ),
    );
  result.perRepo = repos.map((repo) => {
    const mine = rows.filter((r) => (r.repo ?? '') === repo);
    const gold = mine.map((r) => r.gold);
    const pred = mine.map((r) => typeOf(out.get(r.id)?.issueType ?? null));
    const majority = [...gold].sort(
      (a, b) => gold.filter((x) => x === b).length - gold.filter((x) => x === a).length || (a < b ? -1 : 1),
    )[0]!;
    const predicted: Record<string, number> = {};
    for (const p of pred) predicted[p] = (predicted[p] ?? 0) + 1;
    return {
      repo,
      f1: r4(macroF1(gold, pred)),
      heldOut: f1Of(mine.filter((r) => heldOut(r.id))),
      train: f1Of(mine.filter((r) => !heldOut(r.id))),
      majority: r4(
        macroF1(
          gold,
          gold.map(() => majority),
        ),
      ),
      keyword: r4(macroF1(gold, mine.map(keywordType))),
      predicted,
    };
  });
  const mean = (k: 'f1' | 'heldOut' | 'train' | 'majority' | 'keyword') =>
    r4(result.perRepo!.reduce((s, r) => s + r[k], 0) / result.perRepo!.length);
  result.cli = { macroF1: mean('f1'), heldOut: mean('heldOut'), train: mean('train') };
  result.baseline = { majority: mean('majority'), keyword: mean('keyword') };
}

function runSet(spec: SetSpec, dir: string): SetResult {
  const rows = load(spec, dir);
  const groups = new Set(rows.map((r) => r.gold)).size;
  const { out, ms, peakMb, cpuS } = runCli(spec, rows);
  const result: SetResult = {
    name: spec.name,
    kind: spec.kind,
    docs: rows.length,
    groups,
    ms,
    peakMb,
    cpuS,
    cli: {},
    baseline: {},
  };
  if (spec.kind === 'grouping') groupingResult(result, rows, out);
  else if (spec.kind === 'duplicates') duplicatesResult(result, rows, out);
  else issueTypeResult(result, rows, out);
  return result;
}

const pct = (x: unknown) => (typeof x === 'number' ? (x * 100).toFixed(1) : '–');
const secs = (r: SetResult) => `${(r.ms / 1000).toFixed(1)}${r.cpuS !== null ? ` (${r.cpuS})` : ''}`;
const n3 = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : '–');

function namesCell(r: SetResult): string {
  return r.names
    ? `${r.names.distinctive}/${r.names.clusters} (${pct(r.names.distinctive / Math.max(1, r.names.clusters))} %)`
    : '–';
}

function table(results: SetResult[]): string {
  const lines: string[] = [];
  const g = results.filter((r) => r.kind === 'grouping');
  if (g.length) {
    lines.push(
      '| grouping set | docs / groups | CLI clusters (× true) | CLI ACC | k-means ACC (true k) | CLI NMI / ARI | k-means NMI / ARI | names distinctive | time s (CPU s) | peak MB |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of g) {
      const c = r.cli;
      const b = r.baseline;
      const ratio = (Number(c['clusters']) / r.groups).toFixed(1);
      const nm = namesCell(r);
      lines.push(
        `| ${r.name} | ${r.docs} / ${r.groups} | ${c['clusters']} (${ratio}×) | **${pct(c['acc'])}** | ${pct(b['acc'])} | ${pct(c['nmi'])} / ${pct(c['ari'])} | ${pct(b['nmi'])} / ${pct(b['ari'])} | ${nm} | ${secs(r)} | ${r.peakMb ?? '–'} |`,
      );
    }
    lines.push('');
  }
  for (const r of results.filter((x) => x.kind === 'duplicates')) {
    const c = r.cli;
    const b = r.baseline;
    lines.push(
      '| duplicate set | docs / queries | CLI R@1 / R@5 / R@10 | TF-IDF cosine R@1 / R@5 / R@10 | `duplicates` pair P / R | `clusterId` pair P / R | names distinctive (`clusterId`, ≥ 3 reports) | time s (CPU s) | peak MB |',
      '|---|---|---|---|---|---|---|---|---|',
      `| ${r.name} | ${r.docs} / ${c['queries']} | ${n3(c['r1'])} / ${n3(c['r5'])} / **${n3(c['r10'])}** | ${n3(b['r1'])} / ${n3(b['r5'])} / ${n3(b['r10'])} | ${n3(c['dupP'])} / ${n3(c['dupR'])} | ${n3(c['clusterP'])} / ${n3(c['clusterR'])} | ${namesCell(r)} | ${secs(r)} | ${r.peakMb ?? '–'} |`,
      '',
    );
  }
  for (const r of results.filter((x) => x.kind === 'issue-type')) {
    lines.push(
      '| issue-type set | repository | CLI macro-F1, held-out half (odd ids) | train half (even ids) | all | majority class | title keywords | CLI predicted (bug / feature / question) |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const p of r.perRepo ?? [])
      lines.push(
        `| ${r.name} | ${p.repo} | ${n3(p.heldOut)} | ${n3(p.train)} | ${n3(p.f1)} | ${n3(p.majority)} | ${n3(p.keyword)} | ${p.predicted['bug'] ?? 0} / ${p.predicted['feature'] ?? 0} / ${p.predicted['question'] ?? 0} |`,
      );
    lines.push(
      `| ${r.name} | **mean** (wall (CPU) s: ${secs(r)}; ${r.peakMb ?? '–'} MB) | **${n3(r.cli['heldOut'])}** | ${n3(r.cli['train'])} | ${n3(r.cli['macroF1'])} | ${n3(r.baseline['majority'])} | ${n3(r.baseline['keyword'])} | |`,
      '',
    );
  }
  return lines.join('\n');
}

function main(): void {
  // ../shared/bench next to the checkout (a worktree sits one level deeper: ../../shared/bench).
  const candidates = [
    arg('--data'),
    process.env['BENCH_DATA'],
    path.join(REPO, '../shared/bench'),
    path.join(REPO, '../../shared/bench'),
  ];
  const dir = path.resolve(candidates.find((c) => c && existsSync(c)) ?? path.join(REPO, '../shared/bench'));
  if (!existsSync(dir)) {
    console.log(`bench/mining/all: no benchmark data at ${dir}; skipping.`);
    return;
  }
  const unknown = readdirSync(dir).filter((f) => f.endsWith('.jsonl') && !SETS.some((s) => s.file === f));
  if (unknown.length) throw new Error(`sets without a kind in bench/mining/all.ts: ${unknown.join(', ')}`);
  if (!has('--no-build'))
    execFileSync('npx', ['nx', 'build', 'backend', '--outputStyle=static'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  const only = (arg('--only') ?? '').split(',').filter(Boolean);
  const results: SetResult[] = [];
  for (const spec of SETS) {
    if (only.length && !only.includes(spec.name)) continue;
    if (!existsSync(path.join(dir, spec.file))) throw new Error(`missing ${spec.file}`);
    const r = runSet(spec, dir);
    results.push(r);
    console.error(
      JSON.stringify({ name: r.name, ms: r.ms, peakMb: r.peakMb, cli: r.cli, baseline: r.baseline, names: r.names }),
    );
  }
  let rev = 'unknown';
  try {
    rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    /* not a checkout */
  }
  const md = table(results);
  console.log(md);
  if (has('--write') && !only.length) {
    const file = path.join(REPO, 'bench/RESULTS.md');
    const begin = '<!-- mining-all:begin -->';
    const end = '<!-- mining-all:end -->';
    const block = `${begin}\n_\`npm run bench:mining\` on ${new Date().toISOString().slice(0, 10)}, commit \`${rev}\`, one configuration, every set in one run._\n\n${md}\n${end}`;
    const text = readFileSync(file, 'utf8');
    const next = text.includes(begin)
      ? text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length)
      : // After the notes marker: run.ts regenerates what comes before it and keeps what follows.
        text.replace(
          '<!-- mining-notes -->\n',
          (m) => `${m}\n### All sets, one configuration (\`npm run bench:mining\`)\n\n${block}\n`,
        );
    writeFileSync(file, next);
  }
}

main();
