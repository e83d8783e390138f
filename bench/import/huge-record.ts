/**
 * bench/import/huge-record — one enormous record among good ones (issue 13: "a file with one 600 MB line between 20
 * good rows: the process survives, its RSS stays under 1.5 GiB, the 20 rows land, the line is reported").
 *
 *   npm run build
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/import/huge-record.ts [--mb 600] [--format jsonl|csv|json]
 *
 * The file: 10 good tickets, one record of `--mb` MB (jsonl: one line, a ticket whose body is that long; csv: a
 * record whose quoted field is never closed; json: a `{"tickets": [...]}` element holding one huge string), 10 good
 * tickets. It is uploaded to POST /api/tickets/import of the built API (own process, fresh PostgreSQL database, no
 * Redis, local analyzer, IMPORT_MAX_RECORD_BYTES at its default of 8 MB). The API's RSS is sampled every 100 ms
 * from the upload to the end of the run; its peak is VmHWM read then (it includes the API's start and the upload).
 * Prints the figures; the lead copies them into bench/RESULTS.md.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, openAsBlob, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { argValue, createBenchDatabase, databaseUrl, procStatusMb, sleep, startBuiltApi } from '../support';

const MB = Number(argValue('--mb') ?? 600);
const FORMAT = (argValue('--format') ?? 'jsonl') as 'jsonl' | 'csv' | 'json';
const GOOD = 20;
const HUGE_ID = 99_999;

const good = (i: number) => ({
  id: 1000 + i,
  subject: `Export ${i} fails`,
  body: `The export of report ${i} times out`,
});

/** Writes the file; returns the line (jsonl, csv) or record number (json) of the huge record. */
async function writeFile(file: string): Promise<number> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const filler = 'x'.repeat(1024 * 1024);
  const huge = async () => {
    for (let i = 0; i < MB; i++) await write(filler);
  };
  let hugeAt = 0;
  if (FORMAT === 'jsonl') {
    for (let i = 0; i < GOOD; i++) {
      if (i === GOOD / 2) {
        hugeAt = i + 1;
        await write(`{"id": ${HUGE_ID}, "subject": "huge", "body": "`);
        await huge();
        await write('"}\n');
      }
      await write(JSON.stringify(good(i)) + '\n');
    }
  } else if (FORMAT === 'csv') {
    await write('id,subject,description\n');
    for (let i = 0; i < GOOD; i++) {
      if (i === GOOD / 2) {
        hugeAt = i + 2;
        await write(`${HUGE_ID},"huge and never closed,`);
        await huge();
        await write('\n');
      }
      const g = good(i);
      await write(`${g.id},"${g.subject}","${g.body}"\n`);
    }
  } else {
    await write('{"tickets": [');
    for (let i = 0; i < GOOD; i++) {
      if (i === GOOD / 2) {
        hugeAt = i + 1;
        await write(`{"id": ${HUGE_ID}, "subject": "`);
        await huge();
        await write('"},');
      }
      await write(JSON.stringify(good(i)) + (i < GOOD - 1 ? ',' : ''));
    }
    await write('], "next_page": null}');
  }
  out.end();
  await once(out, 'finish');
  return hugeAt;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-huge-'));
  const file = join(dir, `huge.${FORMAT}`);
  const db = await createBenchDatabase();
  try {
    const hugeAt = await writeFile(file);
    const bytes = statSync(file).size;
    console.log(`${FORMAT}: ${(bytes / 1048576).toFixed(0)} MiB, huge record at ${hugeAt}`);
    const api = await startBuiltApi({ database: db.name, dir });
    const pid = api.proc.pid!;
    let exited: number | string | null = null;
    api.proc.once('exit', (code, signal) => (exited = code ?? signal));
    try {
      await sleep(2000);
      const idleMb = procStatusMb(pid, 'VmRSS');
      let sampled = 0;
      const sampler = setInterval(() => {
        if (exited === null) sampled = Math.max(sampled, procStatusMb(pid, 'VmRSS'));
      }, 100);
      const t0 = Date.now();
      const form = new FormData();
      form.append('file', await openAsBlob(file), `huge.${FORMAT}`);
      const res = await fetch(`${api.base}/api/tickets/import`, { method: 'POST', headers: api.auth, body: form });
      const { runId } = (await res.json()) as { runId: string };
      const uploadMs = Date.now() - t0;
      let run: {
        status: string;
        phase: string;
        error: string | null;
        stats: Record<string, number>;
        errors: { ref?: string; message: string }[];
      };
      for (;;) {
        if (exited !== null) throw new Error(`the API process died (${exited})`);
        run = await (await fetch(`${api.base}/api/sync/runs/${runId}`, { headers: api.auth })).json();
        if (run.status === 'succeeded' || run.status === 'failed') break;
        await sleep(200);
      }
      const totalMs = Date.now() - t0;
      const peakMb = procStatusMb(pid, 'VmHWM');
      clearInterval(sampler);
      const c = new Client({ connectionString: databaseUrl(db.name) });
      await c.connect();
      const landed = Number(
        (await c.query(`SELECT count(*) AS n FROM tickets WHERE zendesk_id BETWEEN 1000 AND 1999`)).rows[0].n,
      );
      const hugeStored = Number(
        (await c.query(`SELECT count(*) AS n FROM tickets WHERE zendesk_id = $1`, [HUGE_ID])).rows[0].n,
      );
      await c.end();
      const result = {
        format: FORMAT,
        fileMiB: Math.round(bytes / 1048576),
        hugeRecordAt: hugeAt,
        runStatus: run.status,
        runError: run.error,
        stats: run.stats,
        errors: run.errors.map((e) => `${e.ref}: ${e.message}`),
        goodRowsLanded: landed,
        hugeRowStored: hugeStored,
        apiAlive: exited === null,
        uploadS: uploadMs / 1000,
        uploadToRunEndS: totalMs / 1000,
        rssIdleMiB: Math.round(idleMb),
        rssMaxSampledMiB: Math.round(sampled),
        peakRssVmHWMMiB: Math.round(peakMb),
        underOnePointFiveGiB: peakMb < 1536,
      };
      console.log(JSON.stringify(result, null, 2));
      if (
        !result.apiAlive ||
        run.status !== 'succeeded' ||
        landed !== GOOD ||
        hugeStored ||
        !result.underOnePointFiveGiB
      )
        process.exitCode = 1;
    } finally {
      await api.stop();
    }
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
