import { api, login, startTestApp } from '../../testing/test-app';
import { waitForRun } from '../../testing/runs';

describe('demo data on a zero-config start', () => {
  it('imports the bundled dataset once, moved up to today', async () => {
    const t = await startTestApp({ env: { DEMO_DATA: 'true' } });
    try {
      const token = await login(t.url);
      const runs = (await api(t.url, 'GET', '/api/sync/runs', { token })).body;
      expect(runs.items).toHaveLength(1);
      const run = await waitForRun(t, token, runs.items[0].id);
      expect(run).toMatchObject({
        status: 'succeeded',
        trigger: 'demo',
        stats: { rowsImported: 398, rowsRejected: 0 },
      });
      const newest = (await api(t.url, 'GET', '/api/tickets?perPage=1', { token })).body.items[0];
      expect(Date.now() - new Date(newest.createdAt).getTime()).toBeLessThan(2 * 86_400_000);
      expect(newest.source).toBe('demo');
    } finally {
      await t.close();
    }
  });
});
