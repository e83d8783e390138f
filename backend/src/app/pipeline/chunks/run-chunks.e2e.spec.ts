import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../../../testing/test-app';
import { CHUNK_MAX_ATTEMPTS, ClaimLostError, RunChunksService } from './run-chunks.service';
import { dropPrefix, REDIS_URL, testPrefix } from '../../../testing/test-redis';

const LEASE = 60_000;
const tally = { done: 1, issuesFound: 1, noProductIssue: 0, failed: 0 };

/** The chunk table's rules on the real PostgreSQL: claims, leases, retries, give-backs and the write fence. */
const prefix = testPrefix();
let t: TestApp;
let chunks: RunChunksService;
let db: DataSource;
let runId: string;

beforeAll(async () => {
  t = await startTestApp({ env: { REDIS_URL, REDIS_PREFIX: prefix, PROCESS_ROLE: 'api' } });
  chunks = t.running.app.get(RunChunksService);
  db = t.running.app.get(DataSource);
});
afterAll(async () => {
  await t?.close();
  await dropPrefix(prefix);
});
beforeEach(async () => {
  await db.query(`DELETE FROM runs`);
  [{ id: runId }] = await db.query(
    `INSERT INTO runs (kind, trigger, status, phase) VALUES ('analyze', 'manual', 'running', 'analyze') RETURNING id`,
  );
});
const row = async (seq: number) =>
  (await db.query(`SELECT * FROM run_chunks WHERE run_id = $1 AND seq = $2`, [runId, seq]))[0];

describe('run chunks (claims in PostgreSQL)', () => {
  it('splits once, and hands every chunk to one claimant at a time, in order', async () => {
    expect(await chunks.plan(runId, [5, 6, 7, 8, 9], 2)).toBe(3);
    expect(await chunks.plan(runId, [1, 2], 2)).toBe(3); // a re-executed run keeps its chunks
    const claims = await Promise.all([1, 2, 3, 4].map((w) => chunks.claim(runId, `w${w}`, LEASE)));
    const got = claims.filter((c) => c !== null);
    expect(got.map((c) => c.seq).sort()).toEqual([0, 1, 2]);
    expect(got.find((c) => c.seq === 2)?.ticketIds).toEqual([9]);
    expect(claims.filter((c) => c === null)).toHaveLength(1);
  });

  it('retries a chunk that throws, with its reason, and gives it up after the last attempt', async () => {
    await chunks.plan(runId, [1, 2, 3], 10);
    for (let attempt = 1; attempt <= CHUNK_MAX_ATTEMPTS; attempt++) {
      const chunk = (await chunks.claim(runId, 'w1', LEASE))!;
      expect(chunk.attempts).toBe(attempt);
      await chunks.fail(chunk, `boom ${attempt}`);
      expect(await row(0)).toMatchObject({
        status: attempt < CHUNK_MAX_ATTEMPTS ? 'pending' : 'failed',
        error: `boom ${attempt}`,
      });
    }
    expect(await chunks.claim(runId, 'w1', LEASE)).toBeNull();
    const summary = await chunks.summary(runId);
    expect(summary).toMatchObject({ failed: 1, failures: [{ seq: 0, error: `boom ${CHUNK_MAX_ATTEMPTS}` }] });
  });

  it('takes over an expired claim; the old holder can then neither write nor complete', async () => {
    await chunks.plan(runId, [1, 2, 3], 10);
    const first = (await chunks.claim(runId, 'dead', 500))!;
    expect(await chunks.claim(runId, 'w2', LEASE)).toBeNull(); // lease still running
    await new Promise((r) => setTimeout(r, 700));
    const second = (await chunks.claim(runId, 'w2', LEASE))!;
    expect(second).toMatchObject({ seq: 0, attempts: 2 });
    let wrote = false;
    await expect(
      chunks.fenced(first, LEASE, tally, async () => {
        wrote = true;
      }),
    ).rejects.toBeInstanceOf(ClaimLostError);
    expect(wrote).toBe(false);
    expect(await chunks.renew(first, LEASE)).toBe(false);
    expect(await chunks.complete(first, 'dead')).toBe(false);
    await chunks.fenced(second, LEASE, tally, async () => undefined);
    expect(await chunks.complete(second, 'w2')).toBe(true);
    expect(await chunks.summary(runId)).toMatchObject({ done: 1, doneTickets: 3, workers: { w2: 1 } });
  });

  it('a write in progress holds the chunk: an expired claim is not taken over until it commits', async () => {
    await chunks.plan(runId, [1], 10);
    const holder = (await chunks.claim(runId, 'slow', 500))!;
    let takeover: Promise<unknown> | undefined;
    await chunks.fenced(holder, 500, tally, async () => {
      await new Promise((r) => setTimeout(r, 700)); // the lease runs out while the write is open
      takeover = chunks.claim(runId, 'w2', LEASE);
      expect(await takeover).toBeNull(); // locked by the write: skipped, not taken
    });
    expect(takeover).toBeDefined();
    expect(await row(0)).toMatchObject({ status: 'claimed', claimed_by: 'slow', done_tickets: 1 });
  });

  it('a chunk given back is claimable at once without using up an attempt; a halted run hands out nothing', async () => {
    await chunks.plan(runId, [1, 2, 3, 4], 2);
    const a = (await chunks.claim(runId, 'w1', LEASE))!;
    await chunks.release(a);
    expect(await row(0)).toMatchObject({ status: 'pending', attempts: 0 });
    const again = (await chunks.claim(runId, 'w2', LEASE))!;
    expect(again).toMatchObject({ seq: 0, attempts: 1 });
    await chunks.fail(again, 'spend limit reached', true);
    expect(await chunks.claim(runId, 'w3', LEASE)).toBeNull(); // chunk 1 is pending, but the run halted
    expect((await chunks.summary(runId)).halted).toBe('spend limit reached');
  });
});
