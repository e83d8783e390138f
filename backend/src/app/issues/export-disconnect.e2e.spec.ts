import { request } from 'node:http';
import { Client } from 'pg';
import { importAndWait } from '../../testing/runs';
import { closeSession, openSession, TestApp } from '../../testing/test-app';
import { ExportService } from './export.service';

/**
 * Issue 13: a CSV export whose client stops reading and then disconnects must end (and free its page of rows),
 * not wait forever for a `drain` that never comes.
 */
describe('CSV export of a client that goes away', () => {
  let t: TestApp;
  let token: string;
  let db: Client;

  beforeAll(async () => {
    ({ t, token, db } = await openSession());
    const line = JSON.stringify({
      id: 4242,
      subject: 'CSV export fails',
      body: 'The CSV export fails with an error for every report we try to download since Monday.',
      created_at: '2026-10-01T10:00:00Z',
    });
    await importAndWait(t, token, line);
    // ~15,000 issues of ~2 KB: an export of ~30 MB, far more than the socket buffers hold.
    await db.query(
      `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail,
                           confidence, ticket_created_at)
       SELECT i.ticket_id, i.analysis_id, i.category, i.subcategory, i.issue_type, i.severity, i.summary,
              repeat('detail ', 300), i.confidence, i.ticket_created_at - make_interval(secs => g)
         FROM (SELECT * FROM issues LIMIT 1) i, generate_series(1, 15000) g`,
    );
  }, 120_000);

  afterAll(() => closeSession(t, db));

  it('ends the export within a few seconds of the disconnect', async () => {
    const exports = t.running.app.get(ExportService);
    const req = request(`${t.url}/api/export/issues`, { headers: { authorization: `Bearer ${token}` } });
    req.on('error', () => undefined);
    const res = await new Promise<import('node:http').IncomingMessage>((resolve) => req.on('response', resolve).end());
    expect(res.statusCode).toBe(200);
    // Read one chunk, then stop reading: the server fills the socket buffers and waits for `drain`.
    await new Promise((resolve) => res.once('data', resolve));
    res.pause();
    await new Promise((r) => setTimeout(r, 1500));
    expect(exports.inProgress).toBe(1);

    req.destroy();
    const deadline = Date.now() + 5_000;
    while (exports.inProgress > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(exports.inProgress).toBe(0);
  });
});
