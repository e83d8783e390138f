/**
 * bench/api/explain — EXPLAIN (ANALYZE, BUFFERS) of every list query, as the API builds it, on a loaded database.
 *
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/explain.ts --database pim_bench_x [--plans] [--only issues]
 *
 * Builds each list's SQL through the product's own repositories (a stand-in DataSource records every query, explains
 * it, then runs it for the answer the next step needs), so the plans are those of the code in this tree. Prints one
 * line per query (the fastest of `--repeat` (3) executions in ms, its shared buffers hit/read, the plan's top node);
 * `--plans` prints the plans too.
 * Run `ANALYZE` (or let autovacuum) after loading, as production would have.
 */
import { Client } from 'pg';
import { ClusterQueryRepository } from '../../backend/src/app/issues/repositories/cluster-query.repository';
import { IssueQueryRepository } from '../../backend/src/app/issues/repositories/issue-query.repository';
import { TicketRepository } from '../../backend/src/app/tickets/repositories/ticket.repository';
import type { ExportClustersQuery } from '../../backend/src/app/issues/dto/list-clusters.query';
import type { ExportIssuesQuery } from '../../backend/src/app/issues/dto/list-issues.query';
import type { DataSource } from 'typeorm';
import { argValue, databaseUrl } from '../support';

const PLANS = process.argv.includes('--plans');
/** Each query is explained this many times; the fastest is kept (a warm cache, the least disturbed run). */
const REPEAT = Number(argValue('--repeat') ?? 3);
const ONLY = argValue('--only');

interface Recorded {
  label: string;
  ms: number;
  hit: number;
  read: number;
  top: string;
  plan: string;
}

const recorded: Recorded[] = [];

/** A DataSource stand-in: each query is explained (ANALYZE, BUFFERS) under `label`, then answered. */
function explaining(db: Client, label: () => string): DataSource {
  return {
    query: async (sql: string, params: unknown[] = []) => {
      let plan = '';
      let ms = Infinity;
      for (let n = 0; n < REPEAT; n++) {
        const text = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows
          .map((r: Record<string, string>) => r['QUERY PLAN'])
          .join('\n');
        const time = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN);
        if (time < ms) [plan, ms] = [text, time];
      }
      const first = /Buffers: shared((?: \w+=\d+)*)/.exec(plan)?.[1] ?? '';
      const hit = Number(/hit=(\d+)/.exec(first)?.[1] ?? 0);
      const read = Number(/read=(\d+)/.exec(first)?.[1] ?? 0);
      const top = plan.split('\n').find((l) => /Scan|Join|Sort|Aggregate|Limit/.test(l)) ?? '';
      const kind = /^SELECT count\(\*\)/.test(sql.trim()) ? ' [count]' : '';
      recorded.push({ label: label() + kind, ms, hit, read, top: top.trim().replace(/\s+\(cost.*$/, ''), plan });
      return (await db.query(sql, params)).rows;
    },
    getRepository: () => ({ find: async () => [] }),
  } as unknown as DataSource;
}

async function main() {
  const database = argValue('--database');
  if (!database) throw new Error('--database <name> is required');
  const db = new Client({ connectionString: databaseUrl(database) });
  await db.connect();
  // As the API's connections (data-source.ts); `--jit` explains with the server's default instead.
  if (!process.argv.includes('--jit')) await db.query('SET jit = off');
  let current = '';
  const source = explaining(db, () => current);
  const issues = new IssueQueryRepository(source);
  const clusters = new ClusterQueryRepository(source);
  const tickets = new TicketRepository(source);
  const [{ cluster }] = (
    await db.query(`SELECT id AS cluster FROM clusters WHERE active ORDER BY issue_count DESC LIMIT 1`)
  ).rows as Array<{ cluster: string }>;
  const [{ org }] = (
    await db.query(`SELECT organization_id AS org FROM tickets WHERE organization_id IS NOT NULL LIMIT 1`)
  ).rows as Array<{ org: string }>;
  const week = new Date(Date.now() - 7 * 86_400_000);

  const issueCases: Array<[string, ExportIssuesQuery, number]> = [
    ['default', {}, 1],
    ['default', {}, 5],
    ['default', {}, 50],
    ['severity=critical,high', { severity: ['critical', 'high'] }, 1],
    ['severity=critical,high', { severity: ['critical', 'high'] }, 5],
    ['severity=critical,high', { severity: ['critical', 'high'] }, 50],
    ['category=billing', { category: ['billing'] }, 5],
    ['issueType=bug&severity=critical', { issueType: ['bug'], severity: ['critical'] }, 5],
    ['clusterId=<largest>', { clusterId: cluster }, 5],
    ['startDate=<7 days>', { startDate: week }, 5],
    ['search=export', { search: 'export' }, 1],
    ['search=export', { search: 'export' }, 5],
    ['search="csv export" -timeout', { search: '"csv export" -timeout' }, 1],
    ['sort=severity:desc', { sort: 'severity:desc' }, 5],
    ['sort=severity:desc&severity=high,medium', { sort: 'severity:desc', severity: ['high', 'medium'] }, 50],
    ['sort=confidence:asc', { sort: 'confidence:asc' }, 50],
    ['sort=category:asc', { sort: 'category:asc' }, 50],
  ];
  const counted = new Set<string>();
  if (!ONLY || ONLY === 'issues')
    for (const [name, query, page] of issueCases) {
      current = `issues ${name} page ${page}`;
      const filter = issues.filter(query);
      const found = await issues.page(filter, query.sort, 50, (page - 1) * 50);
      current = `issues ${name}`;
      if (!counted.has(name)) await issues.count(filter);
      counted.add(name);
      if (page === 5 && found.next) {
        current = `issues ${name} page 6 by cursor`;
        await issues.page(filter, query.sort, 50, 0, found.next);
      }
      if (page === 1) {
        current = `issues ${name} details`;
        await issues.details(found.ids);
      }
    }

  const clusterCases: Array<[string, ExportClustersQuery, number]> = [
    ['default', {}, 1],
    ['default', {}, 5],
    ['sort=issueCount:asc', { sort: 'issueCount:asc' }, 5],
    ['sort=count7d:desc', { sort: 'count7d:desc' }, 1],
    ['sort=trendPct:desc', { sort: 'trendPct:desc' }, 1],
    ['sort=lastSeen:desc', { sort: 'lastSeen:desc' }, 5],
    ['sort=name:asc', { sort: 'name:asc' }, 5],
    ['sort=impactScore:desc', { sort: 'impactScore:desc' }, 1],
    ['category=billing', { category: ['billing'] }, 1],
    ['pmStatus=new,reviewing', { pmStatus: ['new', 'reviewing'] }, 1],
    ['emerging=true', { emerging: true }, 1],
    ['severity=critical&issueType=bug', { severity: ['critical'], issueType: ['bug'] }, 1],
    ['startDate=<7 days>&severity=critical,high', { startDate: week, severity: ['critical', 'high'] }, 1],
    ['segment=enterprise', { segment: ['enterprise'] }, 1],
    ['search=export', { search: 'export' }, 1],
  ];
  if (!ONLY || ONLY === 'clusters')
    for (const [name, query, page] of clusterCases) {
      current = `clusters ${name} page ${page}`;
      await clusters.page(clusters.filter(query), query.sort, 25, (page - 1) * 25);
    }

  type TicketCase = [string, Partial<Parameters<TicketRepository['findPage']>[0]>, number];
  const ticketCases: TicketCase[] = [
    ['default', {}, 1],
    ['default', {}, 50],
    ['status=open,pending', { status: ['open', 'pending'] }, 5],
    ['organizationId=<one>', { organizationId: Number(org) }, 1],
    ['search=export', { search: 'export' }, 1],
    ['sort=updatedAt:desc', { sortField: 'updated_at' }, 50],
    ['sort=createdAt:asc', { sortDirection: 'ASC' }, 50],
  ];
  if (!ONLY || ONLY === 'tickets')
    for (const [name, filters, page] of ticketCases) {
      current = `tickets ${name} page ${page}`;
      const base = { sortField: 'created_at', sortDirection: 'DESC', take: 50, skip: (page - 1) * 50 } as const;
      const found = await tickets.findPage({ ...base, ...filters });
      if (page === 50 && found.next) {
        current = `tickets ${name} page 51 by cursor`;
        await tickets.findPage({ ...base, ...filters, after: found.next });
      }
    }

  const others: Array<[string, string]> = [
    ['runs page 1', `SELECT * FROM runs ORDER BY created_at DESC LIMIT 50`],
    ['runs count', `SELECT count(*) FROM runs`],
    ['audit page 1', `SELECT * FROM audit_log ORDER BY created_at DESC, id DESC LIMIT 50`],
    ['audit count', `SELECT count(*) FROM audit_log`],
    ['alerts page 1', `SELECT * FROM alerts ORDER BY created_at DESC, id DESC LIMIT 50`],
  ];
  if (!ONLY || ONLY === 'others')
    for (const [name, sql] of others) {
      current = name;
      await source.query(sql);
    }

  await db.end();
  const width = Math.max(...recorded.map((r) => r.label.length));
  for (const r of recorded) {
    console.log(
      `${r.label.padEnd(width)}  ${r.ms.toFixed(2).padStart(8)} ms  hit ${String(r.hit).padStart(6)} read ${String(r.read).padStart(5)}  ${r.top}`,
    );
    if (PLANS) console.log(`${r.plan}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
