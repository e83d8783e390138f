import { exportDatasetToString, ZendeskDataset } from '@pim/testing';
import { importAndWait } from '../../testing/runs';
import { api, closeSession, openSession, TestSession } from '../../testing/test-app';
import { AlertsService } from './alerts.service';

const DAY = 86_400_000;
const STABLE = 'date-filter-utc';
const BUSY = 'csv-export-timeout';

type Line = Record<string, unknown> & { id: number; created_at: string; updated_at?: string };

/**
 * The spike rule on imported tickets: two clusters get 8 and 12 tickets in the last 24 hours; one had about one
 * ticket every other day for four weeks (a spike), the other 6–10 a day (its normal).
 */
describe('spike alerts against each cluster’s own baseline (real app, PostgreSQL)', () => {
  let s: TestSession;
  const dataset = new ZendeskDataset({ tickets: 300, seed: 7, endTime: Date.now() });
  const rows = async (sql: string, params: unknown[] = []) => (await s.db.query(sql, params)).rows;

  beforeAll(async () => {
    s = await openSession();
  }, 60_000);

  afterAll(async () => {
    await closeSession(s?.t, s?.db);
  });

  it('finds the spike over a stable baseline, not the same count on a cluster whose history is that high', async () => {
    const lines = (await exportDatasetToString(dataset, { format: 'jsonl' }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    const texts = (problem: string) => lines.filter((l) => dataset.labelOf(l.id)?.plantedProblem === problem);
    const now = Date.now();
    let nextId = 500_000;
    const tickets: Line[] = [];
    // One ticket text per cluster, copied: identical text gives identical issues, so every copy joins one cluster.
    const plant = (source: Line, perDay: (day: number) => number) => {
      for (let day = 0; day <= 28; day++)
        for (let i = 0; i < perDay(day); i++) {
          // Day 0: the last 24 hours; day d ≥ 1: the d-th 24 hours before them.
          const at = new Date(now - day * DAY - (day === 0 ? 10 : 60) * 60_000 - i * 60_000).toISOString();
          tickets.push({ ...source, id: nextId++, created_at: at, updated_at: at });
        }
    };
    const [stable] = texts(STABLE);
    const [busy] = texts(BUSY);
    if (!stable || !busy) throw new Error('the dataset has no ticket of a planted problem');
    plant(stable, (day) => (day === 0 ? 8 : day % 2));
    plant(busy, (day) => (day === 0 ? 12 : 6 + (day % 5)));
    const run = await importAndWait(s.t, s.token, tickets.map((t) => JSON.stringify(t)).join('\n'));
    expect(run.status).toBe('succeeded');
    await s.t.running.app.get(AlertsService).evaluate(null);

    const clusterOf = async (from: number, count: number) =>
      (
        await rows(
          `SELECT cluster_id FROM issues WHERE ticket_id >= $1 AND ticket_id < $2 AND NOT hidden
            GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
          [from, from + count],
        )
      )[0].cluster_id as string;
    const stableCount = 8 + 14;
    const stableCluster = await clusterOf(500_000, stableCount);
    const busyCluster = await clusterOf(500_000 + stableCount, tickets.length - stableCount);
    expect(stableCluster).not.toBe(busyCluster);

    const spikes = await rows(`SELECT cluster_id, trigger FROM alerts WHERE kind = 'spike'`);
    const found = spikes.find((r) => r.cluster_id === stableCluster);
    const lastDay = async (clusterId: string) =>
      (
        await rows(
          `SELECT count(DISTINCT ticket_id)::int AS n FROM issues
            WHERE cluster_id = $1 AND NOT hidden AND ticket_created_at > now() - interval '1 day'`,
          [clusterId],
        )
      )[0].n as number;
    const n = await lastDay(stableCluster);
    expect(n).toBe(8);
    expect(await lastDay(busyCluster)).toBe(12);
    expect(found?.trigger).toMatchObject({ count24h: n, baselineDays: 28 });
    expect(found.trigger.z).toBeGreaterThanOrEqual(4);
    expect(spikes.map((r) => r.cluster_id)).not.toContain(busyCluster);

    const listed = await api(s.t.url, 'GET', '/api/alerts?kind=spike', { token: s.token });
    expect(listed.body.items.map((a: { clusterId: string }) => a.clusterId)).toContain(stableCluster);
  }, 240_000);
});
