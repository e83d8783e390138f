import { request } from 'node:http';
import { Client } from 'pg';
import { openSessionWithIssueCopies } from '../../testing/runs';
import { closeSession, TestApp } from '../../testing/test-app';
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
    // ~15,000 issues of ~2 KB: an export of ~30 MB, far more than the socket buffers hold.
    ({ t, token, db } = await openSessionWithIssueCopies(15_000, { detail: "repeat('detail ', 300)" }));
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
