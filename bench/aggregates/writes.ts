/**
 * What the aggregate triggers cost the writers: the analysis step's writes replayed on a copy of a bench database
 * (the product's own statements: per batch of tickets, one DELETE of their issues and one INSERT of the new ones, in
 * a transaction; then the clustering step's hide of deleted/merged tickets' issues and back), with the triggers of
 * migration 1764400000025 disabled and enabled. Modifies the database: run it on a copy.
 *
 *   TS_NODE_PROJECT=bench/aggregates/tsconfig.json npx ts-node --transpile-only bench/aggregates/writes.ts <database> [--batch 500] [--writers 1]
 */
import { Client } from 'pg';
import { argValue, databaseUrl } from '../support';

const BATCH = Number(argValue('--batch') ?? 500);
const WRITERS = Number(argValue('--writers') ?? 1);
const AGGREGATES = ['issue_day_counts', 'issue_day_deltas', 'issue_entity_days', 'issue_entity_last'];

async function main() {
  const name = process.argv[2];
  if (!name) throw new Error('usage: writes.ts <database>');
  const url = databaseUrl(name);
  const db = new Client({ connectionString: url });
  await db.connect();
  const q = (sql: string, params?: unknown[]) => db.query(sql, params);
  const columns = (
    await q(`SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) AS c FROM information_schema.columns
              WHERE table_name = 'issues' AND is_generated = 'NEVER'`)
  ).rows[0].c as string;
  await q(`DROP TABLE IF EXISTS bench_issues`);
  await q(`CREATE TABLE bench_issues AS SELECT ${columns} FROM issues`);
  await q(`CREATE INDEX ON bench_issues (ticket_id)`);
  const tickets = (await q(`SELECT DISTINCT ticket_id FROM bench_issues ORDER BY 1`)).rows.map((r) => r.ticket_id);
  const batches: string[][] = [];
  for (let k = 0; k < tickets.length; k += BATCH) batches.push(tickets.slice(k, k + BATCH));
  console.log(`${name}: ${tickets.length} tickets with issues, batches of ${BATCH}, ${WRITERS} writer(s)`);

  const writers = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  /** Each writer takes the next batch: DELETE its tickets' issues, INSERT them again, in one transaction. */
  const replay = async () => {
    let next = 0;
    const t0 = Date.now();
    await Promise.all(
      writers.map(async (c) => {
        for (let k = next++; k < batches.length; k = next++) {
          await c.query('BEGIN');
          await c.query(`DELETE FROM issues WHERE ticket_id = ANY($1::bigint[])`, [batches[k]]);
          await c.query(
            `INSERT INTO issues (${columns}) SELECT ${columns} FROM bench_issues WHERE ticket_id = ANY($1::bigint[])`,
            [batches[k]],
          );
          await c.query('COMMIT');
        }
      }),
    );
    return Date.now() - t0;
  };
  const hide = async () => {
    const t0 = Date.now();
    await q(`UPDATE issues SET hidden = true WHERE ticket_id % 20 = 0`);
    const hidden = Date.now() - t0;
    await q(`UPDATE issues SET hidden = false WHERE hidden`);
    return hidden;
  };
  const rows: string[] = [];
  for (const triggers of [false, true, false, true]) {
    await q(`ALTER TABLE issues ${triggers ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
    await q(`ALTER TABLE tickets ${triggers ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
    // First analysis: from no issues at all (aggregates emptied with them).
    await q(`ALTER TABLE issues DISABLE TRIGGER USER`);
    await q(`DELETE FROM issues`);
    for (const t of AGGREGATES) await q(`DELETE FROM ${t}`);
    await q(`ALTER TABLE issues ${triggers ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
    await q(`VACUUM ANALYZE issues`);
    const first = await replay();
    const again = await replay();
    const hidden = await hide();
    const deltas = (await q(`SELECT count(*)::int AS n FROM issue_day_deltas`)).rows[0].n;
    const t0 = Date.now();
    const folded = triggers ? (await q(`SELECT issue_day_counts_fold() AS n`)).rows[0].n : 0;
    const foldMs = Date.now() - t0;
    rows.push(
      `| ${triggers ? 'on' : 'off'} | ${first} | ${((first / tickets.length) * 1000).toFixed(0)} | ${again} | ${hidden} | ${deltas} | ${folded} rows in ${foldMs} ms |`,
    );
    console.log(rows.at(-1));
  }
  await q(`ALTER TABLE issues ENABLE TRIGGER USER`);
  await q(`ALTER TABLE tickets ENABLE TRIGGER USER`);
  console.log(
    '| triggers | first analysis ms | µs per ticket | reanalysis ms | hide 5% ms | deltas after | fold |\n|---|---|---|---|---|---|---|\n' +
      rows.join('\n'),
  );
  await q(`DROP TABLE bench_issues`);
  for (const c of writers) await c.end();
  await db.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
