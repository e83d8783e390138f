/**
 * bench/sync — how many Zendesk requests a backfill costs and how long it takes under the plan's rate limits.
 *
 *   npm run build   # the bench drives the built API (dist/backend/main.js)
 *   npx ts-node -T -P backend/tsconfig.app.json bench/sync/run.ts [--tickets 20000] [--big 100000] [--scale 10]
 *
 * Options: --tickets N (0 = skip the per-plan runs), --big N (0 = skip the large run), --scale S (the large run
 * uses 5×S, baselines 6×S), --baseline 0 (skip the baselines), --node-args "…" (extra Node flags for the API
 * process, e.g. "--max-semi-space-size=16"), --sample FILE (the API's process.memoryUsage() and VmRSS every
 * 500 ms as JSON lines, one file per run with the run's label appended), --no-write (leave RESULTS.md alone).
 *
 * For each plan (Team 200/min, Enterprise 700/min; incremental exports 10/min) it starts the Zendesk simulator
 * (own process) and the real API (own process, fresh PostgreSQL database), triggers a full backfill and waits for
 * the sync phase to end. The simulator and the client share a time scale (a protocol minute lasts 60/scale s), so
 * "simulated" durations are real durations × scale. In the same run, a baseline does it the old way — the export
 * plus one comments request per ticket — with the same rate-limited client. Peak RSS is VmHWM of the API process
 * when its sync phase ends. Results are printed and written to bench/RESULTS.md ("## Sync").
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZendeskClient } from '../../backend/src/app/zendesk/client';
import {
  argValue,
  createBenchDatabase,
  freePort,
  procStatusMb,
  ROOT,
  sleep,
  startBuiltApi,
  writeResultsSection,
} from '../support';

const EMAIL = 'admin@acme-analytics.example.com';
const TOKEN = 'sim-api-token';
const arg = (name: string, def: number) => Number(argValue(name) ?? def);
const strArg = argValue;
const TICKETS = arg('--tickets', 20_000);
const BIG = arg('--big', 100_000);
const SCALE = arg('--scale', 10);
const BASELINE = arg('--baseline', 1) > 0;
const NODE_ARGS = (strArg('--node-args') ?? '').split(/\s+/).filter(Boolean);
const SAMPLE = strArg('--sample');
const WRITE = !process.argv.includes('--no-write');

async function waitFor(url: string, headers: Record<string, string> = {}, timeoutMs = 120_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      if ((await fetch(url, { headers })).ok) return;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer`);
}
const basic = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;

interface SimCounts {
  requests: number;
  incremental: number;
  limited: number;
  early: number;
}

/** The simulator in its own process; its request log (ZENDESK_SIM_LOG=1) is counted independently of the client. */
async function startSimulator(
  tickets: number,
  plan: string,
  scale: number,
): Promise<{ url: string; proc: ChildProcess; counts: SimCounts }> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'libs/testing/src/zendesk/cli.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(ROOT, 'libs/testing/tsconfig.lib.json'),
        ZENDESK_SIM_PORT: String(port),
        ZENDESK_SIM_TICKETS: String(tickets),
        ZENDESK_SIM_PLAN: plan,
        ZENDESK_SIM_TIME_SCALE: String(scale),
        ZENDESK_SIM_LOG: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const counts: SimCounts = { requests: 0, incremental: 0, limited: 0, early: 0 };
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    if (process.env['SIM_LOG_FILE']) appendFileSync(process.env['SIM_LOG_FILE'], lines.join('\n') + '\n');
    for (const line of lines) {
      if (!/ (GET|POST) \//.test(line)) continue;
      counts.requests++;
      if (line.includes('/incremental/')) counts.incremental++;
      if (/-> 429/.test(line)) counts.limited++;
      if (line.includes('(early!)')) counts.early++;
    }
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v2/users/me.json`, { authorization: basic });
  await sleep(600);
  Object.assign(counts, { requests: 0, incremental: 0, limited: 0, early: 0 }); // forget the readiness probes
  return { url, proc, counts };
}

interface Result {
  label: string;
  tickets: number;
  requests: number;
  incremental: number;
  rateLimited: number;
  /** Requests the simulator saw before an announced Retry-After expired. */
  early: number;
  simulatedMin: number;
  boundMin: number;
  rssMb: number | null;
  strategy?: string | null;
}

/** Our sync, through the real API process. */
async function ours(tickets: number, plan: 'team' | 'enterprise', limit: number, scale: number): Promise<Result> {
  const sim = await startSimulator(tickets, plan, scale);
  const db = await createBenchDatabase();
  const sampleFile = SAMPLE ? `${SAMPLE}.${plan}-${tickets}.jsonl` : undefined;
  const api = await startBuiltApi({
    database: db.name,
    dir: mkdtempSync(join(tmpdir(), 'pim-bench-')),
    nodeArgs: [...NODE_ARGS, ...(sampleFile ? ['--require', join(__dirname, 'mem-sampler.js')] : [])],
    stdout: 'ignore',
    env: {
      ZENDESK_SUBDOMAIN: 'bench',
      ZENDESK_API_URL: sim.url,
      ZENDESK_EMAIL: EMAIL,
      ZENDESK_API_TOKEN: TOKEN,
      ZENDESK_RATE_LIMIT: String(limit),
      ZENDESK_SIM_TIME_SCALE: String(scale),
      ...(sampleFile ? { MEM_SAMPLE_FILE: sampleFile, MEM_SNAPSHOT_AT: process.env['MEM_SNAPSHOT_AT'] ?? '' } : {}),
    },
  }).catch(async (error: unknown) => {
    sim.proc.kill('SIGKILL');
    await db.drop();
    throw error;
  });
  try {
    const { base, auth } = api;
    const t0 = Date.now();
    const { runId } = await (
      await fetch(`${base}/api/sync/trigger?backfillDays=130`, { method: 'POST', headers: auth })
    ).json();
    let run: { phase: string; status: string; stats: Record<string, number>; error: string | null };
    for (;;) {
      run = await (await fetch(`${base}/api/sync/runs/${runId}`, { headers: auth })).json();
      if (run.phase !== 'queued' && run.phase !== 'sync') break;
      await sleep(100);
    }
    const realMs = Date.now() - t0;
    const rssMb = procStatusMb(api.proc.pid!);
    if (run.status === 'failed') throw new Error(`run failed: ${run.error}`);
    await sleep(700); // the simulator's log is flushed every 250 ms
    const c = sim.counts;
    return {
      label: `ours (${plan})`,
      tickets,
      requests: c.requests,
      incremental: c.incremental,
      rateLimited: c.limited,
      early: c.early,
      simulatedMin: (realMs * scale) / 60_000,
      boundMin: Math.max(c.incremental / 10, c.requests / limit),
      rssMb,
      strategy: run.stats['threadStrategy'] as unknown as string,
    };
  } finally {
    // Killed, not stopped: a graceful stop would wait for the run's analysis, which is not measured here.
    api.proc.kill('SIGKILL');
    sim.proc.kill('SIGKILL');
    await sleep(300);
    await db.drop();
  }
}

/** The old way with the same client: the export, then one comments request per ticket (8 at a time). */
async function baseline(tickets: number, plan: 'team' | 'enterprise', limit: number, scale: number): Promise<Result> {
  const sim = await startSimulator(tickets, plan, scale);
  try {
    const client = new ZendeskClient({
      baseUrl: sim.url,
      auth: { email: EMAIL, apiToken: TOKEN },
      requestsPerMinute: limit,
      timeScale: scale,
    });
    const t0 = Date.now();
    const ids: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await client.exportTicketsCursor(
        cursor ? { cursor } : { startTime: Math.floor(Date.now() / 1000) - 130 * 86_400 },
      );
      for (const t of page.tickets) if (t.status !== 'deleted') ids.push(t.id);
      if (page.endOfStream || !page.afterCursor) break;
      cursor = page.afterCursor;
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < ids.length) await client.ticketComments(ids[next++]!);
      }),
    );
    const realMs = Date.now() - t0;
    await sleep(700);
    const c = sim.counts;
    return {
      label: `one request per ticket (${plan})`,
      tickets,
      requests: c.requests,
      incremental: c.incremental,
      rateLimited: c.limited,
      early: c.early,
      simulatedMin: (realMs * scale) / 60_000,
      boundMin: Math.max(c.incremental / 10, c.requests / limit),
      rssMb: null,
    };
  } finally {
    sim.proc.kill('SIGKILL');
  }
}

async function main() {
  const results: Result[] = [];
  for (const [plan, limit] of [
    ['team', 200],
    ['enterprise', 700],
  ] as const) {
    if (TICKETS <= 0) continue;
    results.push(await ours(TICKETS, plan, limit, SCALE));
    console.log(results.at(-1));
    if (!BASELINE) continue;
    results.push(await baseline(TICKETS, plan, limit, SCALE * 6));
    console.log(results.at(-1));
  }
  const big = BIG > 0 ? await ours(BIG, 'enterprise', 700, SCALE * 5) : null;
  if (big) console.log(big);

  const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  const row = (r: Result) =>
    `| ${r.label} | ${r.tickets.toLocaleString('en-US')} | ${r.requests} | ${((r.requests / r.tickets) * 1000).toFixed(1)} | ${r.rateLimited} / ${r.early} | ${r.simulatedMin.toFixed(1)} | ${r.boundMin.toFixed(1)} | ${(r.simulatedMin / r.boundMin).toFixed(2)} | ${r.rssMb === null ? '–' : r.rssMb.toFixed(0)} | ${r.strategy ?? '–'} |`;
  const section = [
    '## Sync',
    '',
    `Generated by \`npx ts-node -T -P backend/tsconfig.app.json bench/sync/run.ts --tickets ${TICKETS} --big ${BIG} --scale ${SCALE}\` on ${new Date().toISOString().slice(0, 10)}, commit \`${commit}\`, Node ${process.version}, this 2-core machine (shared, noisy).`,
    '',
    'A full backfill of the Zendesk simulator (generated B2B tickets with 1–8 comments, 120 days) into a fresh PostgreSQL database through the built API (`POST /api/sync/trigger?backfillDays=130`), timed until the sync phase ends. Simulator and client run on a shared time scale (a protocol minute lasts 60/scale real seconds), so simulated minutes = real minutes × scale; "bound" is what the rate limits allow at best: max(incremental requests / 10 per min, all requests / plan limit). The baseline (the old prototype\'s shape: export + one comments request per ticket, same rate-limited client, 8 in flight) runs in the same process run against its own simulator. RSS is the API process\'s peak (VmHWM) when its sync phase ends.',
    '',
    '| way | tickets | Zendesk requests | per 1,000 tickets | 429s / early | simulated min | bound min | ratio | peak RSS MB | threads |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    ...(big ? [row({ ...big, label: `ours, large (enterprise)` })] : []),
    '',
  ].join('\n');
  if (!WRITE) return;
  writeResultsSection('## Sync', section);
  console.log(section);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
