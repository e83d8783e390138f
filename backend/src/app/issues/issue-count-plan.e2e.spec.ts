import { Client } from 'pg';
import { openSessionWithIssueCopies } from '../../testing/runs';
import { closeSession, TestApp } from '../../testing/test-app';
import { IssueQueryRepository } from './repositories/issue-query.repository';

/**
 * Issue 15: the issue list's capped count with a severity filter. At 1M tickets PostgreSQL counted
 * severity=critical,high from the severity index (the smallest) and read every low and medium entry before the first
 * high one (2.8 s per request). The count now seeks that index to the filter's ranks: it reads its matches, not the
 * entries before them.
 */
describe('issue count with a severity filter', () => {
  let t: TestApp;
  let token: string;
  let db: Client;
  const ISSUES = 30_000;

  beforeAll(async () => {
    // Low 45%, medium 30%, high 20%, critical 5% (rank order is not time order: they interleave in time).
    ({ t, token, db } = await openSessionWithIssueCopies(ISSUES, {
      severity: `CASE WHEN g % 20 < 9 THEN 'low' WHEN g % 20 < 15 THEN 'medium' WHEN g % 20 < 19 THEN 'high'
                      ELSE 'critical' END`,
    }));
    await db.query('VACUUM (ANALYZE) issues');
  }, 120_000);

  afterAll(() => closeSession(t, db));

  /** Rows every scan of the count's plan read and then discarded by a filter. */
  async function discardedByCount(severity: string[]): Promise<{ discarded: number; counted: number }> {
    const repository = t.running.app.get(IssueQueryRepository);
    const filter = repository.filter({ severity } as never);
    const { rows } = await db.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${repository.countSql(filter)}`,
      filter.params as unknown[],
    );
    let discarded = 0;
    const walk = (node: Record<string, unknown>) => {
      discarded += Number(node['Rows Removed by Filter'] ?? 0) + Number(node['Rows Removed by Index Recheck'] ?? 0);
      for (const child of (node['Plans'] as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    const plan = rows[0]['QUERY PLAN'][0].Plan as Record<string, unknown>;
    walk(plan);
    return { discarded, counted: Number(plan['Actual Rows']) };
  }

  it.each([[['critical', 'high']], [['critical']], [['medium', 'low']]])(
    'counts severity=%s from its matches alone, and the API total is the true one',
    async (severity) => {
      const { discarded } = await discardedByCount(severity);
      expect(discarded).toBe(0);

      const { rows } = await db.query(`SELECT count(*)::int AS n FROM issues WHERE NOT hidden AND severity = ANY($1)`, [
        severity,
      ]);
      const truth = rows[0].n as number;
      expect(truth).toBeGreaterThan(1000);
      const res = await fetch(`${t.url}/api/issues?severity=${severity.join(',')}&perPage=5`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { total: number; totalExact: boolean; items: Array<{ severity: string }> };
      expect(body.total).toBe(Math.min(truth, 10_000));
      expect(body.totalExact).toBe(truth <= 10_000);
      expect(body.items.every((i) => severity.includes(i.severity))).toBe(true);
    },
  );
});
