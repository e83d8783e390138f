/**
 * bench/api — the API under load in production mode (issue 15): NODE_ENV=production, PostgreSQL, a redis-server of
 * the benchmark's own, the built API (and optionally queue workers) as an operator runs them, the data loaded
 * through the product's own import and local analyzer.
 *
 *   npm run build
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/run.ts [--tickets 100000] [--seconds 10] [--warmup 3]
 *     [--connections 50] [--workers 0] [--baseline <another build's dist/backend>] [--log-level info]
 *     [--search <word>] [--part-mb 1000] [--export-only] [--import-only] [--keep-db] [--baseline-budget <minutes>]
 *
 * For each build (this worktree's `dist/backend`, then the `--baseline` build if given): a fresh PostgreSQL
 * database and a fresh redis-server (`--save "" --appendonly no`, killed at the end); the API
 * (`PROCESS_ROLE=all`, or `api` beside `--workers N` processes of `worker.js`, the production topology); the
 * generated Zendesk dataset (seed 42, exported once as JSONL by streaming) uploaded to POST /api/tickets/import by
 * streaming, timed to the end of the run (import → analyze → cluster). Then two passes over the same requests, each
 * on a freshly started API: uncached (`API_CACHE=off`) and cached (the default). Every request is driven by
 * autocannon (`--connections`, `--warmup` s not counted, then `--seconds` s); percentiles are exact over every
 * response; the API process's CPU per request is read from /proc. Whether the build honours API_CACHE=off is
 * checked from its Redis (cache keys written, commands per request). Writes "## API under load (production mode)" of bench/RESULTS.md, both builds side by side.
 *
 * `--baseline-budget M` (for the 1M case, where the previous build's run can take hours): the baseline's import is
 * stopped after M minutes if it has not finished; its row says how far it got (phase, tickets analysed), its rate is
 * reported as an upper bound, and its load passes run on the first build's database (the same data, complete).
 * `--keep-db`: the databases are kept at the end (their names printed), to EXPLAIN the queries on them.
 * `--database NAME`: no export and no import: each build's load passes run on that (kept) database, one build after
 * the other, and the figures are printed (bench/RESULTS.md is left alone) — an A/B of the API alone on large data.
 *
 * Files above `--part-mb` (default 1000; the import takes 1 GiB at most) are split and imported one run after the
 * other. `--export-only` (for the 1M case): exports the dataset and streams the files to a local sink as the upload
 * would, and reports time and the benchmark process's peak RSS, without starting the API.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  WriteStream,
} from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { exportDataset as exportDatasetTo, ZendeskDataset } from '../../libs/testing/src/zendesk';
import {
  argValue,
  BenchRedis,
  BuiltApi,
  BuiltWorker,
  createBenchDatabase,
  machineBusyMs,
  procCpuMs,
  procTreeCpuMs,
  procTreePeakMb,
  procStatusMb,
  ROOT,
  selfPeakRssMb,
  sleep,
  sql,
  startBuiltApi,
  startBuiltWorker,
  startRedis,
  upload,
  writeResultsSection,
} from '../support';
import { ApiTarget, apiTargets, TargetData, targetData } from './targets';

const TICKETS = Number(argValue('--tickets') ?? 100_000);
const SECONDS = Number(argValue('--seconds') ?? 10);
const WARMUP = Number(argValue('--warmup') ?? 3);
const CONNECTIONS = Number(argValue('--connections') ?? 50);
const WORKERS = Number(argValue('--workers') ?? 0);
/** API_PROCESSES of the API (above 1: a supervisor forks that many API processes sharing the port). */
const API_PROCESSES = Number(argValue('--api-processes') ?? 1);
const BASELINE = argValue('--baseline');
/** Unset by default: the product's own default (`info`, request logs written), as an operator leaves it. */
const LOG_LEVEL = argValue('--log-level');
const SEARCH = argValue('--search');
const EXPORT_ONLY = process.argv.includes('--export-only');
/** Import and time the run, print the figures, skip the load passes and leave bench/RESULTS.md alone. */
const IMPORT_ONLY = process.argv.includes('--import-only');
/** Largest file uploaded at once (the import takes 1 GiB at most). */
const PART_BYTES = Number(argValue('--part-mb') ?? 1000) * 1e6;
const KEEP_DB = process.argv.includes('--keep-db');
/** A kept bench database to run the load passes on, without export or import. */
const DATABASE = argValue('--database');
/** Minutes the baseline's import may take before it is stopped (unset: no limit). */
const BASELINE_BUDGET_MS = argValue('--baseline-budget') ? Number(argValue('--baseline-budget')) * 60_000 : undefined;
const HEADING = '## API under load (production mode)';
const PASSES = [
  { name: 'uncached', title: 'uncached (`API_CACHE=off`)', env: { API_CACHE: 'off' } },
  { name: 'cached', title: 'cached (`API_CACHE` default)', env: {} },
] as const;

interface Build {
  label: string;
  distDir: string;
}
interface Row {
  requests: number;
  non2xx: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rps: number;
  /** The API process's CPU time (user + system) per request during the measured seconds, µs. */
  cpuUs: number;
  /** Redis commands the API (and idle workers) sent per request during the measured seconds. */
  redisPerRequest: number;
  /** `total` of one answer (what the request selects), or '–'. */
  total: string;
}
interface PassResult {
  rows: Row[];
  /** Keys other than the queue's and the login throttle's that appeared in Redis during the pass (cache entries). */
  newKeys: number;
  apiPeakRssMb: number;
}
interface BuildResult {
  build: Build;
  /** Set when the import was stopped at its time budget: how far it got. */
  unfinished?: { phase: string; analysed: number };
  counts: { tickets: number; issues: number; clusters: number };
  uploadMs: number;
  pipelineMs: number;
  phases: Record<string, number>;
  /** CPU seconds spent in each phase (until the next one began): the API, the workers, the whole machine. */
  phaseCpu: Record<string, { apiS: number; workersS: number; machineS: number }>;
  apiPeakRssMb: number;
  workerPeakRssMb: number[];
  passes: Record<string, PassResult>;
}

const commitOf = (dir: string) => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
};

/**
 * Exports the dataset as JSONL files of at most PART_BYTES each (POST /api/tickets/import takes 1 GiB at most: the
 * 1M-ticket dataset is 1.1 GB), streamed to disk with back-pressure; each part is imported by its own run.
 */
async function exportDataset(dir: string) {
  const parts: string[] = [];
  let out: WriteStream | undefined;
  let outBytes = 0;
  const closeOut = async () => {
    if (!out) return;
    out.end();
    await once(out, 'finish');
    out = undefined;
  };
  const t0 = Date.now();
  const exported = await exportDatasetTo(new ZendeskDataset({ tickets: TICKETS, seed: 42 }), async (chunk) => {
    const bytes = Buffer.byteLength(chunk);
    if (out && outBytes + bytes > PART_BYTES) await closeOut();
    if (!out) {
      parts.push(join(dir, `tickets-${parts.length + 1}.jsonl`));
      out = createWriteStream(parts.at(-1)!);
      outBytes = 0;
    }
    outBytes += bytes;
    if (!out.write(chunk)) await once(out, 'drain');
  });
  await closeOut();
  const exportMs = Date.now() - t0;
  const exportPeakMb = selfPeakRssMb();
  console.log(
    `dataset: ${JSON.stringify(exported)} in ${parts.length} file(s), ${(exportMs / 1000).toFixed(1)} s, bench peak RSS ${exportPeakMb.toFixed(0)} MB`,
  );
  return { parts, exported, exportMs, exportPeakMb };
}

/** The upload's bench side alone: the file streamed to a local server that only counts the bytes. */
async function uploadToSink(files: string[]) {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.end('{"runId":"sink"}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const t0 = Date.now();
  try {
    for (const file of files) await upload(`http://127.0.0.1:${port}/`, {}, file);
  } finally {
    server.close();
  }
  return { bytes, ms: Date.now() - t0 };
}

/** One request driven for SECONDS after WARMUP; exact percentiles over every response. */
async function drive(api: BuiltApi, redis: BenchRedis, path: string): Promise<Row> {
  const opts = { url: `${api.base}${path}`, connections: CONNECTIONS, headers: api.auth };
  const probe = await fetch(opts.url, { headers: api.auth });
  const body = probe.ok ? ((await probe.json()) as { total?: number; totalExact?: boolean }) : undefined;
  const total = !body
    ? `HTTP ${probe.status}`
    : typeof body.total === 'number'
      ? `${body.total}${body.totalExact === false ? ' (est.)' : ''}`
      : '–';
  await autocannon({ ...opts, duration: WARMUP });
  const times: number[] = [];
  const callsBefore = await redis.commandCalls();
  const cpuBefore = procTreeCpuMs(api.proc.pid!);
  const instance = autocannon({ ...opts, duration: SECONDS });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  const result = await instance;
  const cpuMs = procTreeCpuMs(api.proc.pid!) - cpuBefore;
  const calls = (await redis.commandCalls()) - callsBefore;
  times.sort((a, b) => a - b);
  const pct = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors + result.timeouts,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    max: result.latency.max,
    rps: result.requests.average,
    cpuUs: (cpuMs * 1000) / Math.max(1, result.requests.total),
    redisPerRequest: calls / Math.max(1, result.requests.total),
    total,
  };
}

interface MeasureOptions {
  /** Stop the import after this many ms and run the load passes on `dataDatabase` instead. */
  budgetMs?: number;
  dataDatabase?: string;
  /** An existing database with the data: nothing imported, no workers, never dropped. */
  database?: string;
}

async function measureBuild(
  build: Build,
  parts: string[],
  dir: string,
  targetsOf: (database: string) => Promise<ApiTarget[]>,
  options: MeasureOptions = {},
): Promise<BuildResult & { database: { name: string; drop(): Promise<void> } }> {
  // The database is returned for the caller to drop (or keep); dropped here only when the measurement failed.
  const runDir = mkdtempSync(join(dir, 'build-'));
  const db = options.database ? { name: options.database, drop: async () => undefined } : await createBenchDatabase();
  let passDatabase = db.name;
  const redis = await startRedis(join(runDir, 'redis'));
  const logFd = openSync(join(runDir, 'processes.log'), 'a');
  const workers: BuiltWorker[] = [];
  let api: BuiltApi | undefined;
  const env = (extra: Record<string, string> = {}) =>
    ({
      REDIS_URL: redis.url,
      LOG_LEVEL: LOG_LEVEL,
      PROCESS_ROLE: WORKERS > 0 ? 'api' : 'all',
      ...extra,
    }) as Record<string, string>;
  const startApi = (extra: Record<string, string> = {}) =>
    startBuiltApi({
      database: passDatabase,
      dir: join(runDir, 'api'),
      entry: join(build.distDir, 'main.js'),
      env: env({ ...(API_PROCESSES > 1 ? { API_PROCESSES: String(API_PROCESSES) } : {}), ...extra }),
      stdout: logFd,
    });
  try {
    api = await startApi();
    for (let w = 0; w < (options.database ? 0 : WORKERS); w++)
      workers.push(
        await startBuiltWorker({
          database: db.name,
          dir: join(runDir, `worker-${w}`),
          distDir: build.distDir,
          env: env({ PROCESS_ROLE: 'worker' }),
          logFd,
        }),
      );
    const t0 = Date.now();
    let uploadMs = 0;
    const phases: Record<string, number> = {};
    const phaseCpu: BuildResult['phaseCpu'] = {};
    const cpuNow = () => ({
      api: procTreeCpuMs(api!.proc.pid!),
      workers: workers.reduce((s, w) => s + procCpuMs(w.proc.pid!), 0),
      machine: machineBusyMs(),
    });
    let current: { phase: string; cpu: ReturnType<typeof cpuNow> } | undefined;
    const enterPhase = (phase: string | null) => {
      const cpu = cpuNow();
      if (current)
        phaseCpu[current.phase] = {
          apiS: (cpu.api - current.cpu.api) / 1000,
          workersS: (cpu.workers - current.cpu.workers) / 1000,
          machineS: (cpu.machine - current.cpu.machine) / 1000,
        };
      current = phase === null ? undefined : { phase, cpu };
    };
    let unfinished: BuildResult['unfinished'];
    for (const [i, file] of (options.database ? [] : parts).entries()) {
      const tu = Date.now();
      const { runId } = await upload(`${api.base}/api/tickets/import`, api.auth, file);
      uploadMs += Date.now() - tu;
      let run: { status: string; phase: string; error: string | null } = {
        status: 'queued',
        phase: 'import',
        error: null,
      };
      for (;;) {
        if (options.budgetMs !== undefined && Date.now() - t0 > options.budgetMs) break;
        run = await (await fetch(`${api.base}/api/sync/runs/${runId}`, { headers: api.auth })).json();
        const phase = parts.length > 1 ? `${run.phase} (${i + 1})` : run.phase;
        if (phases[phase] === undefined) {
          phases[phase] = Date.now() - t0;
          enterPhase(phase);
        }
        if (run.status === 'succeeded' || run.status === 'failed') break;
        await sleep(1000);
      }
      if (run.status !== 'succeeded' && run.status !== 'failed') {
        const analysed = Number(
          (await sql(`SELECT count(DISTINCT ticket_id)::int AS n FROM ticket_analyses`, db.name)).rows[0].n,
        );
        unfinished = { phase: parts.length > 1 ? `${run.phase} (${i + 1})` : run.phase, analysed };
        console.log(`${build.label}: stopped at its budget`, unfinished);
        break;
      }
      if (run.status !== 'succeeded') throw new Error(`import run ${i + 1} failed: ${run.error}`);
    }
    const pipelineMs = Date.now() - t0;
    enterPhase(null);
    const counts = (
      await sql(
        `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM issues)::int AS issues,
                (SELECT count(*) FROM clusters WHERE merged_into IS NULL)::int AS clusters`,
        db.name,
      )
    ).rows[0] as BuildResult['counts'];
    const apiPeakRssMb = procTreePeakMb(api.proc.pid!);
    const workerPeakRssMb = workers.map((w) => procStatusMb(w.proc.pid!));
    console.log(`${build.label}:`, { uploadMs, pipelineMs, phases, phaseCpu, counts, apiPeakRssMb, workerPeakRssMb });
    await api.stop();
    api = undefined;
    if (unfinished) {
      // Its workers would go on with the run during the load passes: stop them, and measure on complete data.
      for (const w of workers.splice(0)) await w.stop();
      if (!options.dataDatabase) throw new Error('an unfinished build needs the first build database for its passes');
      passDatabase = options.dataDatabase;
    }
    const result = {
      build,
      unfinished,
      counts,
      uploadMs,
      pipelineMs,
      phases,
      phaseCpu,
      apiPeakRssMb,
      workerPeakRssMb,
      passes: {} as Record<string, PassResult>,
      database: db,
    };
    if (IMPORT_ONLY) return result;

    const targets = await targetsOf(passDatabase);
    const passes: Record<string, PassResult> = {};
    for (const pass of PASSES) {
      api = await startApi(pass.env);
      const keysBefore = await redis.appKeys();
      const rows: Row[] = [];
      for (const { label, path } of targets) {
        rows.push(await drive(api, redis, path));
        const r = rows.at(-1)!;
        console.log(
          `${build.label} ${pass.name} | ${label} | total ${r.total} | ${r.requests} req, ${r.non2xx} non-2xx | p50 ${fmt(r.p50)} p95 ${fmt(r.p95)} p99 ${fmt(r.p99)} ms | ${r.rps.toFixed(0)}/s | CPU ${fmt(r.cpuUs)} µs/req | Redis ${r.redisPerRequest.toFixed(2)}/req | load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
      const keysAfter = await redis.appKeys();
      const newKeys = [...keysAfter].filter((k) => !keysBefore.has(k)).length;
      result.passes[pass.name] = { rows, newKeys, apiPeakRssMb: procTreePeakMb(api.proc.pid!) };
      await api.stop();
      api = undefined;
    }
    return result;
  } catch (error) {
    if (!KEEP_DB) await db.drop().catch(() => undefined);
    throw error;
  } finally {
    await api?.stop();
    for (const w of workers) await w.stop();
    await redis.stop();
    closeSync(logFd);
  }
}

/** Tickets per second end to end; for a build stopped at its budget, the dataset (`of` tickets) over that time. */
const importRate = (r: BuildResult, of: number) =>
  r.unfinished ? `< ${(of / (r.pipelineMs / 1000)).toFixed(0)}` : (r.counts.tickets / (r.pipelineMs / 1000)).toFixed(0);

/** One line per phase: wall seconds and the CPU seconds the API, the workers and the whole machine spent in it. */
const phaseCpuLines = (r: BuildResult) => {
  const starts = Object.entries(r.phases);
  return starts
    .filter(([phase]) => r.phaseCpu[phase])
    .map(([phase, at], i) => {
      const end = starts[i + 1]?.[1] ?? r.pipelineMs;
      const c = r.phaseCpu[phase]!;
      return `- ${r.build.label}, ${phase}: ${((end - at) / 1000).toFixed(1)} s wall; CPU s: API ${c.apiS.toFixed(1)}, workers ${c.workersS.toFixed(1)}, machine ${c.machineS.toFixed(1)} (of ${(((end - at) / 1000) * 2).toFixed(0)} on 2 cores)`;
    })
    .join('\n');
};

/** Whether a build reads API_PROCESSES (added in 4f2855f): an older one runs a single API process whatever is set. */
const knowsApiProcesses = (b: Build) => readFileSync(join(b.distDir, 'main.js'), 'utf8').includes('API_PROCESSES');

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');

function section(
  results: BuildResult[],
  targets: ApiTarget[],
  exp: Awaited<ReturnType<typeof exportDataset>>,
  load: { before: number; after: number },
): string {
  const commit = commitOf(ROOT);
  const builds = results.map((r) => r.build);
  const args = process.argv.slice(2).join(' ');
  const honoured = (r: BuildResult) => {
    const unc = r.passes['uncached']!;
    const redisPerReq =
      unc.rows.reduce((s, row) => s + row.redisPerRequest * row.requests, 0) /
      unc.rows.reduce((s, row) => s + row.requests, 0);
    return unc.newKeys === 0
      ? `honoured (no cache entry written to Redis in the uncached pass; ${redisPerReq.toFixed(2)} Redis commands per request)`
      : `**not honoured**: ${unc.newKeys} cache entries written to Redis during the uncached pass (${redisPerReq.toFixed(2)} Redis commands per request), so its "uncached" rows are cached`;
  };
  const importRows = results.map((r) => {
    const phases = Object.entries(r.phases)
      .map(([p, ms]) => `${p} ${(ms / 1000).toFixed(0)} s`)
      .join(', ');
    const stopped = r.unfinished
      ? `; **stopped at its budget** in ${r.unfinished.phase}, ${r.unfinished.analysed.toLocaleString('en-US')} tickets analysed`
      : '';
    return `| ${r.build.label} | ${r.counts.tickets.toLocaleString('en-US')} | ${r.counts.issues.toLocaleString('en-US')} | ${r.counts.clusters.toLocaleString('en-US')} | ${(r.uploadMs / 1000).toFixed(1)} | ${r.unfinished ? '> ' : ''}${(r.pipelineMs / 1000).toFixed(0)} | **${importRate(r, exp.exported.tickets)}** | ${phases}${stopped} | ${fmt(r.apiPeakRssMb)} | ${r.workerPeakRssMb.map(fmt).join(', ') || '–'} | ${fmt(r.passes['uncached']!.apiPeakRssMb)} / ${fmt(r.passes['cached']!.apiPeakRssMb)} |`;
  });
  const loadTable = (pass: (typeof PASSES)[number]) => [
    `**${pass.title}**`,
    '',
    `| request | ${builds.map((b) => `${b.label}: p50 / p95 / p99 ms | req/s | non-2xx | CPU µs/req | Redis cmd/req`).join(' | ')} | total (first build) |`,
    `|---|${builds.map(() => '---|---|---|---|---|').join('')}---|`,
    ...targets.map(({ label }, i) => {
      const cells = results.map((r) => {
        const row = r.passes[pass.name]!.rows[i]!;
        return `${fmt(row.p50)} / **${fmt(row.p95)}** / ${fmt(row.p99)} | ${fmt(row.rps)} | ${row.non2xx} | ${fmt(row.cpuUs)} | ${row.redisPerRequest.toFixed(2)}`;
      });
      return `| ${label} | ${cells.join(' | ')} | ${results[0]!.passes[pass.name]!.rows[i]!.total} |`;
    }),
    '',
  ];
  return [
    HEADING,
    '',
    `Generated by \`npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/run.ts ${args}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit \`${commit}\`, Node ${process.version}, this 2-core machine (the load generator, PostgreSQL, Redis and the API share it; 1-minute load average ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after).`,
    '',
    `Builds, measured one after the other in this run on the same dataset: ${builds.map((b) => `**${b.label}** (\`${b.distDir.startsWith(`${ROOT}/`) ? b.distDir.slice(ROOT.length + 1) : b.distDir}\`)`).join(', ')}.${results.some((r) => r.unfinished) ? ` A build whose import did not end within \`--baseline-budget\` (${(BASELINE_BUDGET_MS ?? 0) / 60_000} min) was stopped there: its rate is an upper bound (every ticket of the dataset in more than that time; its counts are what it had written), and its load passes ran on the first build's database (the same data, complete).` : ''}`,
    '',
    `Production mode as an operator runs it: \`NODE_ENV=production\`, PostgreSQL (a fresh database per build), a redis-server of the benchmark's own per build (\`--save "" --appendonly no\`) as \`REDIS_URL\`, ${WORKERS > 0 ? `the API (\`PROCESS_ROLE=api\`) and ${WORKERS} queue worker process${WORKERS > 1 ? 'es' : ''} (\`worker.js\`) that execute the run` : 'one API process (`PROCESS_ROLE=all`: it executes the run through the Bull queue itself)'}, \`LOG_LEVEL=${LOG_LEVEL ?? 'info'}\`${LOG_LEVEL ? '' : " (unset: the product's default; request logs are written, to a file)"}, the local analyzer.${
      API_PROCESSES > 1
        ? ` \`API_PROCESSES=${API_PROCESSES}\`: the API is a supervisor and ${API_PROCESSES} API processes sharing its port; the API's CPU is summed over them, its peak RSS is the largest one's.${builds
            .filter((b) => !knowsApiProcesses(b))
            .map((b) => ` ${b.label} predates API_PROCESSES: one API process.`)
            .join('')}`
        : ''
    }`,
    '',
    `Data: the Zendesk simulator's dataset (seed 42) exported as JSONL by streaming (${exp.exported.tickets.toLocaleString('en-US')} tickets, ${exp.exported.comments.toLocaleString('en-US')} comments, ${(exp.exported.bytes / 1e6).toFixed(0)} MB in ${exp.parts.length} file${exp.parts.length > 1 ? `s of at most ${PART_BYTES / 1e6} MB (the import takes 1 GiB at most), imported one run after the other` : ''}, in ${(exp.exportMs / 1000).toFixed(0)} s), uploaded by streaming to \`POST /api/tickets/import\`; the import (import → analyze → cluster) is timed from the upload's start to the end of its last run. Peak RSS is each process's VmHWM; the benchmark's own peak: ${fmt(selfPeakRssMb())} MB.`,
    '',
    '| build | tickets | issues | clusters | upload s | upload → done s | tickets/s | phases reached at | API peak RSS MB (run) | worker peak RSS MB | API peak RSS MB (uncached / cached pass) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...importRows,
    '',
    "CPU per phase (from /proc: the processes' user + system time, and the whole machine's busy time, PostgreSQL and Redis included):",
    '',
    ...results.map(phaseCpuLines),
    '',
    `Load: autocannon, ${CONNECTIONS} connections, ${SECONDS} s per request after a ${WARMUP} s warm-up that is not counted, an admin's token; percentiles exact over every response's latency. Each pass starts the API afresh. "non-2xx" counts non-2xx answers, errors and timeouts. "CPU µs/req": the API process's user + system time per request over the measured seconds (from /proc; less sensitive to the machine's load than latency, see bench/api/ab.ts). "Redis cmd/req": commands Redis served per request in the measured seconds (the idle queue's polling included). API_CACHE=off: ${results.map((r) => `${r.build.label} ${honoured(r)}`).join('; ')}.`,
    '',
    ...loadTable(PASSES[0]),
    ...loadTable(PASSES[1]),
  ].join('\n');
}

function buildsToMeasure(): Build[] {
  const builds: Build[] = [{ label: `this build (${commitOf(ROOT)})`, distDir: join(ROOT, 'dist/backend') }];
  if (BASELINE) {
    const distDir = resolve(BASELINE);
    if (!existsSync(join(distDir, 'main.js'))) throw new Error(`--baseline: no main.js in ${distDir}`);
    builds.push({ label: `baseline (${commitOf(dirname(distDir))})`, distDir });
  }
  return builds;
}

/** `--database`: each build's two load passes on an existing database; a table per pass, printed. */
async function passesOnly(database: string, dir: string) {
  const builds = buildsToMeasure();
  const data = await targetData(database, SEARCH);
  const targets = apiTargets(data);
  const before = loadavg()[0]!;
  const results: BuildResult[] = [];
  for (const build of builds) results.push(await measureBuild(build, [], dir, async () => targets, { database }));
  const { counts } = results[0]!;
  const lines = [
    `Load passes only (\`--database\`, ${counts.tickets.toLocaleString('en-US')} tickets, ${counts.issues.toLocaleString('en-US')} issues, ${counts.clusters} clusters), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${process.argv.slice(2).join(' ')}\`; load average ${before.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.`,
    '',
    `| request (${CONNECTIONS} connections) | ${PASSES.flatMap((p) => builds.map((b) => `${p.name}: ${b.label} p50 / p95 / p99 ms (CPU µs/req)`)).join(' | ')} |`,
    `|---|${PASSES.flatMap(() => builds.map(() => '---|')).join('')}`,
    ...targets.map(
      ({ label }, i) =>
        `| ${label} | ${PASSES.flatMap((p) =>
          results.map((r) => {
            const row = r.passes[p.name]!.rows[i]!;
            return `${fmt(row.p50)} / **${fmt(row.p95)}** / ${fmt(row.p99)} (${fmt(row.cpuUs)})`;
          }),
        ).join(' | ')} |`,
    ),
  ];
  console.log(lines.join('\n'));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-api-'));
  try {
    if (DATABASE) return await passesOnly(DATABASE, dir);
    const exp = await exportDataset(dir);
    if (EXPORT_ONLY) {
      const sink = await uploadToSink(exp.parts);
      console.log(
        `upload to a sink: ${(sink.bytes / 1e6).toFixed(0)} MB in ${(sink.ms / 1000).toFixed(1)} s; bench peak RSS ${selfPeakRssMb().toFixed(0)} MB (after the export: ${exp.exportPeakMb.toFixed(0)} MB)`,
      );
      return;
    }
    const builds = buildsToMeasure();
    let data: TargetData | undefined;
    const targetsOf = async (database: string) => apiTargets((data ??= await targetData(database, SEARCH)));
    const before = loadavg()[0]!;
    const results: Awaited<ReturnType<typeof measureBuild>>[] = [];
    try {
      for (const [i, build] of builds.entries())
        results.push(
          await measureBuild(build, exp.parts, dir, targetsOf, {
            ...(i > 0 && BASELINE_BUDGET_MS !== undefined
              ? { budgetMs: BASELINE_BUDGET_MS, dataDatabase: results[0]!.database.name }
              : {}),
          }),
        );
    } finally {
      if (KEEP_DB) console.log(`databases kept: ${results.map((r) => r.database.name).join(', ')}`);
      else for (const r of results) await r.database.drop();
    }
    if (IMPORT_ONLY) {
      for (const r of results)
        console.log(
          `${r.build.label}: ${r.counts.tickets} tickets, ${importRate(r, results[0]!.counts.tickets)} tickets/s\n${phaseCpuLines(r)}`,
        );
      return;
    }
    const text = section(results, apiTargets(data!), exp, { before, after: loadavg()[0]! });
    writeResultsSection(HEADING, text);
    console.log(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
