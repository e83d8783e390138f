/**
 * bench/scale — how the import run (import → analyze → cluster) scales with N: per-phase time, tickets/s and the
 * API process's peak RSS (VmHWM), at one N per invocation (issue 15 part 3; figures in bench/scale/NOTES.md).
 *
 *   npx nx run-many -t build -p backend frontend
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/scale/run.ts --tickets 50000 [--prof] [--entry dist/backend/main.js]
 *
 * Generates the Zendesk simulator's dataset (seed 42) as JSONL, starts the built API on a fresh database (no Redis:
 * the run executes in the API process), uploads the file, polls the run every 250 ms (phase changes are timed
 * there) and samples /proc/<pid>/status. `--prof` writes a V8 CPU profile of the API to bench/scale/prof/.
 * `--keep` leaves the database in place (its name is printed).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDatasetToFile, ZendeskDataset } from '../../libs/testing/src/zendesk';
import { argValue, createBenchDatabase, procCpuMs, procStatusMb, ROOT, sleep, sql, startBuiltApi } from '../support';

const TICKETS = Number(argValue('--tickets') ?? 50_000);
const ENTRY = argValue('--entry');
const PROF = process.argv.includes('--prof');
const KEEP = process.argv.includes('--keep');

interface RunView {
  status: string;
  phase: string;
  error: string | null;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-scale-'));
  const file = join(dir, 'tickets.jsonl');
  const exported = await exportDatasetToFile(new ZendeskDataset({ tickets: TICKETS, seed: 42 }), file, {
    format: 'jsonl',
  });
  console.log(`dataset: ${JSON.stringify(exported)}`);
  const profDir = join(ROOT, 'bench/scale/prof');
  if (PROF) mkdirSync(profDir, { recursive: true });

  const db = await createBenchDatabase();
  const api = await startBuiltApi({
    database: db.name,
    dir,
    entry: ENTRY,
    nodeArgs: PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=api-${TICKETS}.cpuprofile`] : [],
  });
  const pid = api.proc.pid!;
  const { base, auth } = api;
  try {
    const rssStart = procStatusMb(pid, 'VmRSS');
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'tickets.jsonl');
    const t0 = Date.now();
    const { runId } = (await (
      await fetch(`${base}/api/tickets/import`, { method: 'POST', headers: auth, body: form })
    ).json()) as { runId: string };
    const uploadMs = Date.now() - t0;
    const phases: Array<{ phase: string; at: number; cpuMs: number; rssMb: number; hwmMb: number }> = [];
    const cpu0 = procCpuMs(pid);
    let run: RunView;
    let last = '';
    for (;;) {
      run = (await (await fetch(`${base}/api/sync/runs/${runId}`, { headers: auth })).json()) as RunView;
      const key = `${run.status}:${run.phase}`;
      if (key !== last) {
        phases.push({
          phase: key,
          at: Date.now() - t0,
          cpuMs: procCpuMs(pid) - cpu0,
          rssMb: procStatusMb(pid, 'VmRSS'), hwmMb: procStatusMb(pid) });
        last = key;
      }
      if (run.status === 'succeeded' || run.status === 'failed') break;
      await sleep(250);
    }
    const totalMs = Date.now() - t0;
    if (run.status !== 'succeeded') throw new Error(`import run failed: ${run.error}`);
    const counts = (
      await sql(
        `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM issues)::int AS issues,
                (SELECT count(*) FROM clusters WHERE merged_into IS NULL AND issue_count > 0)::int AS clusters`,
        db.name,
      )
    ).rows[0] as { tickets: number; issues: number; clusters: number };
    const cpuEnd = procCpuMs(pid) - cpu0;
    // Wall and API-process CPU seconds per phase (the machine is shared: CPU is the steadier figure).
    const durations: Record<string, { wallS: number; cpuS: number }> = {};
    for (let i = 0; i < phases.length; i++) {
      const next = phases[i + 1];
      const name = phases[i]!.phase.replace(/^running:/, '');
      const d = (durations[name] ??= { wallS: 0, cpuS: 0 });
      d.wallS += ((next?.at ?? totalMs) - phases[i]!.at) / 1000;
      d.cpuS += ((next?.cpuMs ?? cpuEnd) - phases[i]!.cpuMs) / 1000;
    }
    const result = {
      commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
      tickets: counts.tickets,
      issues: counts.issues,
      clusters: counts.clusters,
      uploadS: uploadMs / 1000,
      totalS: totalMs / 1000,
      ticketsPerS: Math.round(counts.tickets / (totalMs / 1000)),
      apiCpuS: cpuEnd / 1000,
      phasesS: durations,
      phases,
      rssStartMb: Math.round(rssStart),
      peakRssMb: Math.round(procStatusMb(pid)),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await api.stop();
    if (KEEP) console.log(`database kept: ${db.name}`);
    else await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
