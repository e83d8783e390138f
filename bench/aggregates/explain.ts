/**
 * The summary's and the trends' database work at scale, before (a scan of `issues`) and after (the daily
 * aggregates of migration 1764400000025): EXPLAIN (ANALYZE, BUFFERS) of each query once, then the median and p95
 * of N timed runs (sequential, one connection). Works on a kept bench database (a copy: it is not modified except
 * by `--fold`); `--before` runs only the scan queries (a database without the migration).
 *
 *   TS_NODE_PROJECT=bench/aggregates/tsconfig.json npx ts-node --transpile-only bench/aggregates/explain.ts <database> [--before] [--n 21] [--plans]
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { IssueAggregateRepository } from '../../backend/src/app/issues/repositories/issue-aggregate.repository';
import { buckets, DAY_MS } from '../../backend/src/app/issues/trends';
import { argValue, databaseUrl } from '../support';

const N = Number(argValue('--n') ?? 21);
const PLANS = process.argv.includes('--plans');
const BEFORE = process.argv.includes('--before');

const SCAN_TOTALS = `SELECT count(*)::int AS issues, count(DISTINCT i.ticket_id)::int AS tickets,
        count(DISTINCT COALESCE('o' || t.organization_id::text, 'r' || t.requester_id::text))::int AS customers
   FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id WHERE NOT i.hidden AND i.ticket_created_at >= $1`;
const SCAN_BY = (c: string) => `SELECT i.${c} AS key, count(*)::int AS count FROM issues i
  WHERE NOT i.hidden AND i.ticket_created_at >= $1 GROUP BY 1 ORDER BY 2 DESC, 1`;
const SCAN_TRENDS = (interval: string) => `SELECT i.category,
    extract(epoch FROM date_trunc('${interval}', i.ticket_created_at AT TIME ZONE 'UTC'))::bigint AS bucket, count(*)::int AS n
   FROM issues i WHERE NOT i.hidden AND i.ticket_created_at >= $1 GROUP BY 1, 2`;

async function main() {
  const name = process.argv[2];
  if (!name) throw new Error('usage: explain.ts <database> [--before] [--n 21] [--plans]');
  const client = new Client({ connectionString: databaseUrl(name) });
  await client.connect();
  // The repository's SQL, run through this client (EXPLAIN or timed).
  let explain = false;
  const source = {
    query: async (sql: string, params?: unknown[]) => {
      if (!explain) return (await client.query(sql, params)).rows;
      const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows;
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      return [];
    },
  } as unknown as DataSource;
  const repo = new IssueAggregateRepository(source);
  const time = async (label: string, run: () => Promise<unknown>) => {
    if (PLANS) {
      explain = true;
      console.log(`\n### ${label}`);
      await run().catch(() => undefined);
      explain = false;
    }
    const ms: number[] = [];
    for (let k = 0; k < N; k++) {
      const t0 = process.hrtime.bigint();
      await run();
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(
      `| ${label} | ${ms[Math.floor(N / 2)]!.toFixed(2)} | ${ms[Math.min(N - 1, Math.floor(N * 0.95))]!.toFixed(2)} |`,
    );
  };
  const counts = (
    await client.query(
      `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM issues WHERE NOT hidden)::int AS issues`,
    )
  ).rows[0];
  console.log(`${name}: ${JSON.stringify(counts)}; ${N} runs each, ms`);
  console.log('| query | median ms | p95 ms |\n|---|---|---|');
  for (const days of [7, 30, 90]) {
    const from = new Date(Date.now() - days * DAY_MS);
    if (BEFORE) {
      await time(`scan: summary totals, days=${days}`, () => client.query(SCAN_TOTALS, [from]));
      for (const c of ['category', 'severity', 'issue_type'])
        await time(`scan: summary by ${c}, days=${days}`, () => client.query(SCAN_BY(c), [from]));
    } else await time(`aggregates: summary window, days=${days}`, () => repo.window(from));
  }
  for (const [days, interval] of [
    [30, 'day'],
    [90, 'week'],
    [90, 'day'],
  ] as const) {
    const from = buckets(new Date(), days, interval)[0]!;
    if (BEFORE) await time(`scan: trends days=${days} ${interval}`, () => client.query(SCAN_TRENDS(interval), [from]));
    else
      await time(`aggregates: trends days=${days} ${interval}`, () => repo.countsByCategoryAndBucket(interval, from));
  }
  if (!BEFORE) await time('fold (no deltas)', () => repo.fold());
  await client.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
