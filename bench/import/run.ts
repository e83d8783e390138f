/**
 * bench/import — memory of the file import (issue 3: "importing a 100,000-line JSONL keeps RSS bounded and reports
 * bad rows by line").
 *
 *   npm run build
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/import/run.ts [--sizes 10000,100000] [--bad-every 5000]
 *
 * For each size: the Zendesk simulator's generated dataset (seed 42) as JSONL, with a bad line every N lines (by
 * turns: broken JSON, a ticket without an id, a ticket whose id is not a number); a fresh PostgreSQL database and
 * the built API (own process, no Redis, local analyzer); the file uploaded to POST /api/tickets/import. The API
 * process's RSS is sampled every 100 ms from the upload until the run leaves its import phase; its peak (VmHWM) is
 * read at that moment. The smallest size is the baseline of the same run: bounded means the peak does not grow with
 * the file. The rejected rows the run reports must be exactly the planted lines. Writes "## Import" of
 * bench/RESULTS.md.
 */
import { execSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, openAsBlob, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDataset, ZendeskDataset } from '../../libs/testing/src/zendesk';
import {
  argValue,
  createBenchDatabase,
  procStatusMb,
  ROOT,
  sleep,
  startBuiltApi,
  writeResultsSection,
} from '../support';

const SIZES = (argValue('--sizes') ?? '10000,100000').split(',').map(Number);
const BAD_EVERY = Number(argValue('--bad-every') ?? 5000);
const BAD_LINES = [
  '{"id": 1, "subject": "broken',
  '{"subject": "no id", "description": "x"}',
  '{"id": "abc", "subject": "x"}',
];

/** Writes the JSONL file with a bad line after every BAD_EVERY good ones; returns the bad lines' numbers. */
async function writeFile(file: string, tickets: number): Promise<{ lines: number; bad: number[]; bytes: number }> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const bad: number[] = [];
  let line = 0;
  let good = 0;
  await exportDataset(new ZendeskDataset({ tickets, seed: 42 }), async (chunk) => {
    for (const text of chunk.split('\n').filter(Boolean)) {
      line++;
      if (!out.write(text + '\n')) await once(out, 'drain');
      if (++good % BAD_EVERY === 0) {
        line++;
        bad.push(line);
        if (!out.write(BAD_LINES[bad.length % BAD_LINES.length] + '\n')) await once(out, 'drain');
      }
    }
  });
  out.end();
  await once(out, 'finish');
  return { lines: line, bad, bytes: statSync(file).size };
}

interface Row {
  tickets: number;
  lines: number;
  mb: number;
  badPlanted: number;
  badReported: number;
  linesMatch: boolean;
  importMs: number;
  idleMb: number;
  peakMb: number;
  medianMb: number;
}

async function measure(tickets: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-import-'));
  const file = join(dir, 'tickets.jsonl');
  const written = await writeFile(file, tickets);
  console.log(
    `${tickets} tickets: ${written.lines} lines, ${written.bad.length} bad, ${(written.bytes / 1e6).toFixed(0)} MB`,
  );
  const db = await createBenchDatabase();
  const api = await startBuiltApi({ database: db.name, dir });
  const { base, auth } = api;
  try {
    await sleep(2000);
    const idleMb = procStatusMb(api.proc.pid!, 'VmRSS');

    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(procStatusMb(api.proc.pid!, 'VmRSS')), 100);
    const t0 = Date.now();
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'tickets.jsonl');
    const { runId } = await (
      await fetch(`${base}/api/tickets/import`, { method: 'POST', headers: auth, body: form })
    ).json();
    let run: { status: string; phase: string; error: string | null; stats: Record<string, number> };
    for (;;) {
      run = await (await fetch(`${base}/api/sync/runs/${runId}`, { headers: auth })).json();
      // Queued, then import: the run is measured until it moves on to analysis (or ends).
      if (['analyze', 'cluster'].includes(run.phase) || run.status === 'succeeded' || run.status === 'failed') break;
      await sleep(100);
    }
    const importMs = Date.now() - t0;
    const peakMb = procStatusMb(api.proc.pid!, 'VmHWM');
    clearInterval(sampler);
    if (run.status === 'failed') throw new Error(`import run failed: ${run.error}`);
    // The run's errors: one per rejected row, `line N`.
    const detail = await (await fetch(`${base}/api/sync/runs/${runId}`, { headers: auth })).json();
    const refs = ((detail.errors ?? []) as { ref?: string }[])
      .map((e) => Number(/^line (\d+)$/.exec(e.ref ?? '')?.[1]))
      .filter((n) => Number.isFinite(n));
    const linesMatch = JSON.stringify([...refs].sort((a, b) => a - b)) === JSON.stringify(written.bad);
    samples.sort((a, b) => a - b);
    return {
      tickets,
      lines: written.lines,
      mb: written.bytes / 1e6,
      badPlanted: written.bad.length,
      badReported: detail.stats?.rowsRejected ?? refs.length,
      linesMatch,
      importMs,
      idleMb,
      peakMb,
      medianMb: samples[Math.floor(samples.length / 2)] ?? 0,
    };
  } finally {
    await api.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const rows: Row[] = [];
  for (const size of SIZES) {
    rows.push(await measure(size));
    console.log(rows.at(-1));
  }
  const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  const dirty = execSync('git status --porcelain -- backend libs', { cwd: ROOT }).toString().trim()
    ? ' (plus working-tree changes)'
    : '';
  const first = rows[0]!;
  const section = [
    '## Import',
    '',
    `Generated by \`npx ts-node -T -P libs/testing/tsconfig.lib.json bench/import/run.ts --sizes ${SIZES.join(',')} --bad-every ${BAD_EVERY}\` on ${new Date().toISOString().slice(0, 10)}, commit \`${commit}\`${dirty}, Node ${process.version}, this 2-core machine (shared; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end).`,
    '',
    "A JSONL file of the Zendesk simulator's tickets (seed 42, comments inline) with a bad line after every " +
      `${BAD_EVERY.toLocaleString('en-US')} good ones (broken JSON, no id, a non-numeric id, by turns), uploaded to \`POST /api/tickets/import\` of the built API (fresh PostgreSQL database, no Redis). RSS of the API process sampled every 100 ms from the upload until the run leaves its import phase; peak = VmHWM then (includes the API's own start). "rows reported" = \`rowsRejected\` of the run; "lines match" = the run's errors name exactly the planted line numbers.`,
    '',
    '| lines | file MB | bad rows planted / reported | lines match | import s | rows/s | RSS idle MB | RSS median MB | peak RSS MB | peak vs smallest |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.lines.toLocaleString('en-US')} | ${r.mb.toFixed(0)} | ${r.badPlanted} / ${r.badReported} | ${r.linesMatch ? 'yes' : '**no**'} | ${(r.importMs / 1000).toFixed(1)} | ${Math.round(r.lines / (r.importMs / 1000)).toLocaleString('en-US')} | ${r.idleMb.toFixed(0)} | ${r.medianMb.toFixed(0)} | ${r.peakMb.toFixed(0)} | ${(r.peakMb / first.peakMb).toFixed(2)}× |`,
    ),
    '',
  ].join('\n');
  writeResultsSection('## Import', section);
  console.log(section);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
