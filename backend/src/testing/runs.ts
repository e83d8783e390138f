import { exportDatasetToString, ZendeskDataset } from '@pim/testing';
import { api, openSession, TestApp, TestSession } from './test-app';

/** Uploads a file to `POST /api/tickets/import`; returns the status and the parsed body. */
export async function upload(t: TestApp, token: string, name: string, content: string) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await fetch(`${t.url}/api/tickets/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** Starts an import run of `content`; its id (throws unless the API answered 202). */
export async function importFile(t: TestApp, token: string, content: string, name = 'tickets.jsonl'): Promise<string> {
  const res = await upload(t, token, name, content);
  if (res.status !== 202) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.runId as string;
}

/** Polls `GET /api/sync/runs/{id}` until the run succeeded or failed; the run. */
export async function waitForRun(t: TestApp, token: string, runId: string, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    const run = (await api(t.url, 'GET', `/api/sync/runs/${runId}`, { token })).body;
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() - started > timeoutMs)
      throw new Error(`run ${runId} still ${run.status} (${run.phase} ${run.done}/${run.total})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Imports `content` and waits for the run to end; the run. */
export async function importAndWait(t: TestApp, token: string, content: string, timeoutMs = 150_000) {
  return waitForRun(t, token, await importFile(t, token, content), timeoutMs);
}

/**
 * `openSession` (`options` as `startTestApp`), then the tickets of `dataset` imported (JSONL) and analysed; throws
 * unless that run succeeded.
 */
export async function openSessionWithTickets(
  dataset: ZendeskDataset,
  options: Parameters<typeof openSession>[0] = {},
): Promise<TestSession> {
  const session = await openSession(options);
  const { t, token } = session;
  const run = await importAndWait(t, token, await exportDatasetToString(dataset, { format: 'jsonl' }));
  if (run.status !== 'succeeded') throw new Error(`import of the dataset: ${run.status} ${run.error ?? ''}`);
  return session;
}

/**
 * Opens a session whose one imported ticket (a failing CSV export) was analysed into one issue, then adds `copies`
 * of that issue, the g-th (g = 1…copies) g seconds older, with `columns` (severity, detail) given as SQL expressions
 * of `g`: a large issue table in seconds, for the specs of the lists and the export.
 */
export async function openSessionWithIssueCopies(
  copies: number,
  columns: { severity?: string; detail?: string } = {},
): Promise<TestSession> {
  const session = await openSession();
  const line = JSON.stringify({
    id: 4242,
    subject: 'CSV export fails',
    body: 'The CSV export fails with an error for every report we try to download since Monday.',
    created_at: '2026-10-01T10:00:00Z',
  });
  await importAndWait(session.t, session.token, line);
  await session.db.query(
    `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail,
                         confidence, ticket_created_at)
     SELECT i.ticket_id, i.analysis_id, i.category, i.subcategory, i.issue_type, ${columns.severity ?? 'i.severity'},
            i.summary, ${columns.detail ?? 'i.detail'}, i.confidence, i.ticket_created_at - make_interval(secs => g)
       FROM (SELECT * FROM issues LIMIT 1) i, generate_series(1, ${copies}) g`,
  );
  return session;
}
