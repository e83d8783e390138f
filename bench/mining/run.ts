/**
 * Mining benchmark: runs the text-mining library the way the product will (cluster every ticket for
 * the grouping sets, `--all-tickets` semantics; similar-ticket retrieval with K=10 plus clustering for
 * duplicate reports) and, in the same process on the same data, the baselines (TF-IDF + k-means given
 * the true k; TF-IDF cosine retrieval). Each dataset runs in its own child process so peak RSS is
 * per dataset.
 *
 *   npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/mining/run.ts [options]
 *     --data DIR        benchmark folder (default: ../shared/bench next to the repo, i.e. /work/shared/bench)
 *     --only NAME       run one dataset: gitbugs | dstc11 | banking77 (repeatable, comma list)
 *     --opts JSON       override mineDocuments options for the selected dataset(s) (tuning)
 *     --no-baselines    skip baselines
 *     --no-write        print results, do not touch bench/RESULTS.md
 *     --via-cli         also run each dataset through the product CLI (`npm run mine`: import → analyze → cluster
 *                       on an embedded throw-away database) and score its output next to the library's figures
 *     --cli-service     with --via-cli: `--similar` lists from the API's similar-tickets service (one request per
 *                       ticket, PostgreSQL full-text candidates; env MINE_SIMILAR_VIA=service) instead of the CLI's
 *                       in-memory index over all tickets
 *
 * Skips gracefully (exit 0) when the data folder is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MineOptions, mineDocuments } from '../../libs/text-mining/src';
import { Doc, cosineTopK, kmeans, tfidf } from './baselines';
import { accuracy, ari, nmi, pairwise, recallAtK } from './metrics';

const REPO = path.resolve(__dirname, '../..');

interface DatasetSpec {
  name: string;
  file: string;
  kind: 'grouping' | 'duplicates';
  labelField: 'group_id' | 'label';
}

const DATASETS: DatasetSpec[] = [
  { name: 'gitbugs', file: 'grouping_gitbugs_seamonkey.jsonl', kind: 'duplicates', labelField: 'group_id' },
  { name: 'dstc11', file: 'grouping_dstc11_insurance_dev.jsonl', kind: 'grouping', labelField: 'group_id' },
  { name: 'banking77', file: 'classify_banking77_train.jsonl', kind: 'grouping', labelField: 'label' },
];

interface Scores {
  clusters?: number;
  acc?: number;
  nmi?: number;
  ari?: number;
  pairP?: number;
  pairR?: number;
  r1?: number;
  r5?: number;
  r10?: number;
  ms: number;
}

interface DatasetResult {
  name: string;
  file: string;
  docs: number;
  groups: number;
  queries?: number;
  ours: Scores;
  oursPeakRssMb: number;
  kmeans?: Scores;
  cosine?: Scores;
  peakRssMb: number;
  options: MineOptions;
  /** `--via-cli`: the product CLI's figures on the same data. */
  cli?: Scores & { peakRssMb: number | null; args: string[]; duplicates?: Omit<Scores, 'ms'> };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(name);

function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    /* not Linux */
  }
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

function load(
  file: string,
  labelField: string,
): { docs: Doc[]; gold: Map<string, string>; created: Map<string, string> } {
  const docs: Doc[] = [];
  const gold = new Map<string, string>();
  const created = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const id = String(r['id']);
    docs.push({ id, subject: String(r['subject'] ?? ''), body: String(r['body'] ?? '') });
    gold.set(id, String(r[labelField]));
    if (typeof r['created'] === 'string') created.set(id, r['created']);
  }
  return { docs, gold, created };
}

const round = (x: number | undefined, d = 4) => (x === undefined ? undefined : Math.round(x * 10 ** d) / 10 ** d);

function groupingScores(gold: Map<string, string>, pred: Map<string, string>, withAcc: boolean): Omit<Scores, 'ms'> {
  const pw = pairwise(gold, pred);
  return {
    clusters: new Set(pred.values()).size,
    acc: withAcc ? round(accuracy(gold, pred)) : undefined,
    nmi: round(nmi(gold, pred)),
    ari: round(ari(gold, pred)),
    pairP: round(pw.precision),
    pairR: round(pw.recall),
  };
}

/** Runs one dataset in this process and prints its JSON result as the last stdout line. */
function runDataset(spec: DatasetSpec, dataDir: string): DatasetResult {
  const { docs, gold } = load(path.join(dataDir, spec.file), spec.labelField);
  const groups = new Set(gold.values()).size;
  const override = arg('--opts') ? (JSON.parse(arg('--opts') as string) as MineOptions) : {};
  const options: MineOptions =
    spec.kind === 'grouping' ? { mode: 'topic', ...override } : { mode: 'problem', similar: 10, ...override };

  // ---- ours: the library, as the product calls it ----
  const t0 = performance.now();
  const mined = mineDocuments(docs, options);
  const ms = Math.round(performance.now() - t0);
  const oursPeak = peakRssMb();
  const ours: Scores = { ...groupingScores(gold, mined.clusterOf, spec.kind === 'grouping'), ms };
  let queries: number | undefined;
  if (mined.similar) {
    const ranked = new Map([...mined.similar].map(([id, ns]) => [id, ns.map((n) => n.id)]));
    const r = recallAtK(gold, ranked, [1, 5, 10]);
    queries = r.queries;
    Object.assign(ours, { r1: round(r.recall[1]), r5: round(r.recall[5]), r10: round(r.recall[10]) });
  }

  const result: DatasetResult = {
    name: spec.name,
    file: spec.file,
    docs: docs.length,
    groups,
    queries,
    ours,
    oursPeakRssMb: oursPeak,
    peakRssMb: 0,
    options,
  };

  if (!has('--no-baselines')) {
    const t1 = performance.now();
    const { vectors, dim } = tfidf(docs);
    if (spec.kind === 'grouping') {
      const labels = kmeans(vectors, dim, groups);
      const pred = new Map(docs.map((d, i) => [d.id, String(labels[i])]));
      result.kmeans = { ...groupingScores(gold, pred, true), ms: Math.round(performance.now() - t1) };
    } else {
      const ranked = cosineTopK(
        docs.map((d) => d.id),
        vectors,
        dim,
        10,
      );
      const r = recallAtK(gold, ranked, [1, 5, 10]);
      result.cosine = {
        r1: round(r.recall[1]),
        r5: round(r.recall[5]),
        r10: round(r.recall[10]),
        ms: Math.round(performance.now() - t1),
      };
    }
  }
  result.peakRssMb = peakRssMb();
  return result;
}

/**
 * `--via-cli`: the dataset through `npm run mine` (a separate process tree, timed whole: build check, Nest
 * boot, embedded PGlite, import, analysis, clustering, output). Grouping sets run with `--all-tickets`, duplicate
 * reports with `--similar 10`. The product takes positive integer ticket ids, so the file is rewritten with line
 * numbers as ids and mapped back. Peak RSS is GNU time's max RSS of the process tree (the largest process: the
 * CLI's Node process).
 */
function runCli(spec: DatasetSpec, dataDir: string): NonNullable<DatasetResult['cli']> {
  const { docs, gold, created } = load(path.join(dataDir, spec.file), spec.labelField);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-mine-'));
  try {
    const input = path.join(tmp, 'input.jsonl');
    const output = path.join(tmp, 'output.jsonl');
    const idOf = new Map<number, string>();
    writeFileSync(
      input,
      docs
        .map((d, i) => {
          idOf.set(i + 1, d.id);
          const at = created.get(d.id);
          return JSON.stringify({ id: i + 1, subject: d.subject, body: d.body, ...(at ? { created_at: at } : {}) });
        })
        .join('\n') + '\n',
    );
    const args = spec.kind === 'grouping' ? ['--all-tickets'] : ['--similar', '10'];
    const npm = ['npm', 'run', '--silent', 'mine', '--', '--input', input, '--output', output, ...args];
    const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
    const rssFile = path.join(tmp, 'rss');
    const env = has('--cli-service') ? { ...process.env, MINE_SIMILAR_VIA: 'service' } : process.env;
    const t0 = performance.now();
    const r = timeBin
      ? spawnSync(timeBin, ['-o', rssFile, '-f', '%M', ...npm], {
          cwd: REPO,
          env,
          encoding: 'utf8',
          maxBuffer: 64 * 2 ** 20,
        })
      : spawnSync(npm[0]!, npm.slice(1), { cwd: REPO, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const ms = Math.round(performance.now() - t0);
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`npm run mine failed on ${spec.name}`);
    }
    const peak = timeBin ? Math.round(Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024) : null;
    const pred = new Map<string, string>();
    const ranked = new Map<string, string[]>();
    // `duplicates` (with --similar): the ticket's duplicate group; the group's smallest id names it.
    const dupGroup = new Map<string, string>();
    for (const line of readFileSync(output, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { id: number; clusterId: string | null; similar?: number[]; duplicates?: number[] };
      const id = idOf.get(o.id) as string;
      if (o.duplicates) dupGroup.set(id, o.duplicates.length ? `dup:${Math.min(o.id, ...o.duplicates)}` : `none:${id}`);
      // A ticket without a cluster (no product issue, no --all-tickets) is its own singleton.
      pred.set(id, o.clusterId ?? `none:${id}`);
      if (o.similar)
        ranked.set(
          id,
          o.similar.map((s) => idOf.get(s) as string),
        );
    }
    const scores: Scores = { ...groupingScores(gold, pred, spec.kind === 'grouping'), ms };
    if (spec.kind === 'duplicates') {
      const rk = recallAtK(gold, ranked, [1, 5, 10]);
      Object.assign(scores, { r1: round(rk.recall[1]), r5: round(rk.recall[5]), r10: round(rk.recall[10]) });
    }
    const duplicates = dupGroup.size ? groupingScores(gold, dupGroup, false) : undefined;
    return { ...scores, peakRssMb: peak, args, duplicates };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const f = (x: number | undefined, pct = false) => (x === undefined ? '–' : pct ? (x * 100).toFixed(1) : x.toFixed(3));

function groupingRows(results: DatasetResult[], lines: string[]): void {
  const grouping = results.filter((r) => r.kmeans || r.ours.acc !== undefined);
  if (grouping.length) {
    lines.push('### Grouping (contact reason, `--all-tickets`)', '');
    lines.push(
      '| data | docs / groups | method | clusters | ACC | NMI | ARI | pair P | pair R | time ms | peak RSS MB |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of grouping) {
      const o = r.ours;
      lines.push(
        `| ${r.name} | ${r.docs} / ${r.groups} | **ours** (k not given) | ${o.clusters} | **${f(o.acc, true)}** | ${f(o.nmi, true)} | ${f(o.ari, true)} | ${f(o.pairP)} | ${f(o.pairR)} | ${o.ms} | ${r.oursPeakRssMb} |`,
      );
      if (r.cli) {
        const c = r.cli;
        lines.push(
          `| ${r.name} | | \`npm run mine -- ${c.args.join(' ')}\` (CLI, product pipeline) | ${c.clusters} | ${f(c.acc, true)} | ${f(c.nmi, true)} | ${f(c.ari, true)} | ${f(c.pairP)} | ${f(c.pairR)} | ${c.ms} | ${c.peakRssMb ?? '–'} |`,
        );
      }
      if (r.kmeans) {
        const b = r.kmeans;
        lines.push(
          `| ${r.name} | | TF-IDF + k-means (true k) | ${b.clusters} | ${f(b.acc, true)} | ${f(b.nmi, true)} | ${f(b.ari, true)} | ${f(b.pairP)} | ${f(b.pairR)} | ${b.ms} | ${r.peakRssMb} |`,
        );
      }
    }
    lines.push('');
  }
}

function duplicateRows(results: DatasetResult[], lines: string[]): void {
  const dups = results.filter((r) => r.ours.r10 !== undefined);
  if (dups.length) {
    lines.push('### Duplicate reports (similar tickets K=10, clustering)', '');
    lines.push(
      '| data | docs / queries | method | R@1 | R@5 | R@10 | clusters | pair P | pair R | NMI | ARI | time ms | peak RSS MB |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of dups) {
      const o = r.ours;
      lines.push(
        `| ${r.name} | ${r.docs} / ${r.queries} | **ours** | ${f(o.r1)} | ${f(o.r5)} | **${f(o.r10)}** | ${o.clusters} | **${f(o.pairP)}** | ${f(o.pairR)} | ${f(o.nmi, true)} | ${f(o.ari, true)} | ${o.ms} | ${r.oursPeakRssMb} |`,
      );
      if (r.cli) {
        const c = r.cli;
        lines.push(
          `| ${r.name} | | \`npm run mine -- ${c.args.join(' ')}\` (CLI; clusters: \`clusterId\`) | ${f(c.r1)} | ${f(c.r5)} | **${f(c.r10)}** | ${c.clusters} | ${f(c.pairP)} | ${f(c.pairR)} | ${f(c.nmi, true)} | ${f(c.ari, true)} | ${c.ms} | ${c.peakRssMb ?? '–'} |`,
        );
        if (c.duplicates) {
          const d = c.duplicates;
          lines.push(
            `| ${r.name} | | same run, clusters: \`duplicates\` groups | | | | ${d.clusters} | **${f(d.pairP)}** | ${f(d.pairR)} | ${f(d.nmi, true)} | ${f(d.ari, true)} | | |`,
          );
        }
      }
      if (r.cosine) {
        const b = r.cosine;
        lines.push(
          `| ${r.name} | | TF-IDF cosine | ${f(b.r1)} | ${f(b.r5)} | ${f(b.r10)} | – | – | – | – | – | ${b.ms} | ${r.peakRssMb} |`,
        );
      }
    }
    lines.push('');
  }
}

function markdown(results: DatasetResult[], dataDir: string): string {
  let rev = 'unknown';
  try {
    rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    /* not a git checkout */
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push('## Mining', '');
  lines.push(
    `Generated by \`npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/mining/run.ts\` ` +
      `on ${new Date().toISOString().slice(0, 10)}, commit \`${rev}\` (plus working-tree changes), ` +
      `Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM (shared machine).`,
    '',
    `Data: \`${dataDir}\` (public labelled sets, not in this repository). "Ours" is \`mineDocuments()\` of ` +
      '`@pim/text-mining` called the way `npm run mine` will call it: grouping sets are clustered whole in ' +
      '`topic` mode (`--all-tickets`: every ticket gets a cluster, the number of clusters is NOT given); duplicate ' +
      'reports run in `problem` mode with `similar` K=10. Baselines run in the same process on the same data: ' +
      'plain TF-IDF (scikit-learn defaults) + k-means++ with the TRUE k (best of 3 seeds), and exhaustive TF-IDF cosine retrieval.',
    '',
    'Metrics: ACC = accuracy under the best 1:1 cluster↔group mapping (Hungarian; unmatched items are errors); ' +
      'NMI (arithmetic normalisation); ARI; pairwise P/R over item pairs sharing a cluster; Recall@k = share of ' +
      'reports having a gold duplicate with at least one duplicate among their top k similar. Time is wall-clock of ' +
      "the whole call (cleaning, fitting, clustering, labels, similar lists); peak RSS is VmHWM of the dataset's " +
      'own process after our run (includes Node and the loaded data) and after the baselines.',
    '',
  );
  if (results.some((r) => r.cli))
    lines.push(
      'CLI rows (`--via-cli`): the same data through `npm run mine` — the product pipeline (import reader → local ' +
        'analyzer → the clustering step of the product, per category, with its own thresholds; `--similar`: the ' +
        "library's duplicate mode over all tickets in memory, `SimilarTicketIndex`, plus `duplicates` groups) on an " +
        'in-memory PGlite database. Grouping sets use `--all-tickets` (one topic ' +
        'issue per ticket: its cleaned subject + description); GitBugs uses `--similar 10` (input with each ' +
        "report's `created_at`) and is scored twice for clustering: the `clusterId` of the tickets' main issues (a " +
        'ticket without a product issue counts as a singleton) and the `duplicates` groups (a ticket in none counts ' +
        'as a singleton). Time is the wall-clock of ' +
        'the whole `npm run mine` (Nest boot, PGlite start and migrations included); peak RSS is the max RSS of the ' +
        'largest process of its tree (GNU time).',
      '',
    );
  groupingRows(results, lines);
  duplicateRows(results, lines);
  return lines.join('\n');
}

function writeSection(section: string): void {
  const file = path.join(REPO, 'bench/RESULTS.md');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const marker = /^## Mining\s*$/m;
  const notesMarker = '<!-- mining-notes -->';
  let out: string;
  const m = marker.exec(existing);
  if (m) {
    const start = m.index;
    const rest = existing.slice(start + m[0].length);
    const next = /^## /m.exec(rest);
    const end = next ? start + m[0].length + next.index : existing.length;
    const old = existing.slice(start, end);
    // Keep the hand-written notes that follow the generated tables.
    const notes = old.includes(notesMarker) ? old.slice(old.indexOf(notesMarker)) : `${notesMarker}\n`;
    out = `${existing.slice(0, start)}${section}\n${notes.trimEnd()}\n\n${existing.slice(end)}`.trimEnd() + '\n';
  } else {
    out = `${existing.trimEnd()}\n\n${section}\n${notesMarker}\n`;
  }
  writeFileSync(file, out);
}

function main(): void {
  const dataDir = path.resolve(arg('--data') ?? path.join(REPO, '../shared/bench'));
  if (!existsSync(dataDir)) {
    console.log(`bench/mining: no benchmark data at ${dataDir}; skipping.`);
    return;
  }
  const only = (arg('--only') ?? '').split(',').filter(Boolean);
  const selected = DATASETS.filter((d) => !only.length || only.includes(d.name)).filter((d) =>
    existsSync(path.join(dataDir, d.file)),
  );

  const child = arg('--child');
  if (child) {
    const spec = DATASETS.find((d) => d.name === child) as DatasetSpec;
    console.log(JSON.stringify(runDataset(spec, dataDir)));
    return;
  }

  const results: DatasetResult[] = [];
  for (const spec of selected) {
    const argv = [
      require.resolve('ts-node/dist/bin.js'),
      '--transpile-only',
      '-P',
      path.join(REPO, 'libs/text-mining/tsconfig.lib.json'),
      __filename,
      '--child',
      spec.name,
      '--data',
      dataDir,
      ...process.argv
        .slice(2)
        .filter((a, i, all) => !['--only', '--data'].includes(all[i - 1] ?? '') && !['--only', '--data'].includes(a)),
    ];
    const r = spawnSync(process.execPath, ['--max-old-space-size=1024', ...argv], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`dataset ${spec.name} failed`);
    }
    const last = r.stdout.trim().split('\n').pop() as string;
    const res = JSON.parse(last) as DatasetResult;
    if (has('--via-cli')) res.cli = runCli(spec, dataDir);
    results.push(res);
    console.log(
      JSON.stringify({
        name: res.name,
        ours: res.ours,
        rss: res.oursPeakRssMb,
        kmeans: res.kmeans,
        cosine: res.cosine,
        cli: res.cli,
      }),
    );
  }
  const md = markdown(results, dataDir);
  if (!has('--no-write') && results.length === DATASETS.length) writeSection(md);
  else if (!has('--no-write')) console.log('(partial run: bench/RESULTS.md not updated)');
}

main();
