import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AnalysisTally } from '../../analysis/analysis.service';

/** Tickets per chunk: a page of the local analyzer (one write), a few minutes of Claude realtime calls. */
export const CHUNK_SIZE = 200;
/** Claims of one chunk before it is given up as failed (a chunk that throws, or whose workers keep dying). */
export const CHUNK_MAX_ATTEMPTS = 3;

/** A chunk as its holder sees it: the claim token proves the claim is still its own. */
export interface ClaimedChunk {
  runId: string;
  seq: number;
  ticketIds: number[];
  token: string;
  attempts: number;
}

export interface ChunkSummary {
  chunks: number;
  pending: number;
  claimed: number;
  /** Claimed chunks whose lease ran out (their worker died): claimable again. */
  expired: number;
  done: number;
  failed: number;
  tickets: number;
  doneTickets: number;
  tally: Omit<AnalysisTally, 'done'>;
  /** Chunks done by each worker ("host:pid"). */
  workers: Record<string, number>;
  /** A run-stopping error (spend limit, wrong model) one worker hit: nobody claims more. */
  halted: string | null;
  /** Why chunks failed for good. */
  failures: Array<{ seq: number; error: string }>;
}

/** The rows an UPDATE … RETURNING answered (TypeORM gives `[rows, affected]` for UPDATE and DELETE). */
const returned = <T>(result: [T[], number]): T[] => result[0];

/** The claim of a chunk was lost (its lease ran out and another worker took the chunk over). */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
  constructor(chunk: ClaimedChunk) {
    super(`chunk ${chunk.seq} of run ${chunk.runId} was taken over by another worker`);
  }
}

/**
 * The `run_chunks` table: a run's analyze phase split into chunks of ticket ids that any worker process claims
 * (`FOR UPDATE SKIP LOCKED`, so claims never wait on each other or hand one chunk out twice), holds by a lease it
 * renews, and marks done. PostgreSQL decides every race; Redis only carries the jobs that bring workers in.
 */
@Injectable()
export class RunChunksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Splits `ids` into chunks of this run, unless it has chunks already (a re-executed run continues with its
   * chunks: what is done stays done). The number of chunks of the run.
   */
  async plan(runId: string, ids: number[], size = CHUNK_SIZE): Promise<number> {
    const existing = await this.count(runId);
    if (existing || !ids.length) return existing;
    const chunks = [];
    for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
    await this.dataSource.query(
      `INSERT INTO run_chunks (run_id, seq, ticket_ids)
       SELECT $1, x.seq, ARRAY(SELECT jsonb_array_elements_text(x.ids)::bigint)
         FROM jsonb_to_recordset($2::jsonb) AS x(seq int, ids jsonb)
       ON CONFLICT DO NOTHING`,
      [runId, JSON.stringify(chunks.map((c, seq) => ({ seq, ids: c })))],
    );
    return this.count(runId);
  }

  async count(runId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM run_chunks WHERE run_id = $1`, [runId]);
    return row.n as number;
  }

  /**
   * Claims the first chunk nobody holds: pending, or claimed by a worker whose lease ran out. A chunk claimed
   * CHUNK_MAX_ATTEMPTS times already is marked failed instead (its workers keep dying on it). Null when nothing is
   * claimable, or once a worker hit a run-stopping error.
   */
  async claim(runId: string, workerId: string, leaseMs: number): Promise<ClaimedChunk | null> {
    for (;;) {
      const token = randomUUID();
      const rows = returned<{ seq: number; ticket_ids: string[]; status: string; attempts: number }>(
        await this.dataSource.query(
          `WITH candidate AS (
             SELECT run_id, seq FROM run_chunks
              WHERE run_id = $1 AND (status = 'pending' OR (status = 'claimed' AND lease_until < now()))
                AND NOT EXISTS (SELECT 1 FROM run_chunks h WHERE h.run_id = $1 AND h.halted)
              ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
           UPDATE run_chunks c SET
             status = CASE WHEN c.attempts >= $5 THEN 'failed' ELSE 'claimed' END,
             error = CASE WHEN c.attempts >= $5
                          THEN coalesce(c.error, 'its worker stopped ' || c.attempts || ' times without finishing it')
                          ELSE c.error END,
             finished_at = CASE WHEN c.attempts >= $5 THEN now() END,
             claimed_by = $2, claim_token = $3, claimed_at = now(),
             lease_until = now() + $4 * interval '1 millisecond',
             attempts = c.attempts + CASE WHEN c.attempts >= $5 THEN 0 ELSE 1 END
             FROM candidate WHERE c.run_id = candidate.run_id AND c.seq = candidate.seq
           RETURNING c.seq, c.ticket_ids, c.status, c.attempts`,
          [runId, workerId, token, leaseMs, CHUNK_MAX_ATTEMPTS],
        ),
      );
      const row = rows[0];
      if (!row) return null;
      if (row.status === 'failed') continue;
      return { runId, seq: row.seq, ticketIds: row.ticket_ids.map(Number), token, attempts: row.attempts };
    }
  }

  /** Extends the lease of a claim that is still its holder's; false when it was lost. */
  async renew(chunk: ClaimedChunk, leaseMs: number): Promise<boolean> {
    const rows = returned(
      await this.dataSource.query(
        `UPDATE run_chunks SET lease_until = now() + $4 * interval '1 millisecond'
          WHERE run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed' RETURNING seq`,
        [chunk.runId, chunk.seq, chunk.token, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Runs one write of analysis results while the chunk's row is locked and proven still this holder's claim, and
   * adds `tally` to the chunk's counters in the same transaction: a worker whose lease ran out (stalled, not dead)
   * cannot write results for a chunk another worker took over (a takeover skips locked rows, so it waits for the
   * write to commit and then resumes after it). With a single-connection pool (the embedded database) the claim is
   * checked just before the write instead: no other process shares that database.
   */
  async fenced(chunk: ClaimedChunk, leaseMs: number, tally: AnalysisTally, write: () => Promise<void>): Promise<void> {
    const counters = `UPDATE run_chunks SET lease_until = now() + $4 * interval '1 millisecond',
        done_tickets = done_tickets + $5, issues_found = issues_found + $6, no_product_issue = no_product_issue + $7,
        failed_tickets = failed_tickets + $8
      WHERE run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed' RETURNING seq`;
    const params = [
      chunk.runId,
      chunk.seq,
      chunk.token,
      leaseMs,
      tally.done,
      tally.issuesFound,
      tally.noProductIssue,
      tally.failed,
    ];
    if (this.singleConnection) {
      if (!(await this.renew(chunk, leaseMs))) throw new ClaimLostError(chunk);
      await write();
      await this.dataSource.query(counters, params);
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const held = await runner.query(
        `SELECT seq FROM run_chunks WHERE run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed'
           FOR UPDATE`,
        [chunk.runId, chunk.seq, chunk.token],
      );
      if (!held.length) throw new ClaimLostError(chunk);
      await write();
      await runner.query(counters, params);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Marks a held chunk done by `workerId`. False when the claim was lost meanwhile. */
  async complete(chunk: ClaimedChunk, workerId: string): Promise<boolean> {
    const rows = returned(
      await this.dataSource.query(
        `UPDATE run_chunks SET status = 'done', done_by = $4, finished_at = now(), lease_until = NULL, error = NULL,
                done_tickets = cardinality(ticket_ids)
          WHERE run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed' RETURNING seq`,
        [chunk.runId, chunk.seq, chunk.token, workerId],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Records why a held chunk failed: it goes back to pending for another attempt, or ends failed after
   * CHUNK_MAX_ATTEMPTS, or at once when the error stops the run (`halted`: nobody claims more of this run).
   */
  async fail(chunk: ClaimedChunk, error: string, halted = false): Promise<void> {
    await this.dataSource.query(
      `UPDATE run_chunks SET
         status = CASE WHEN $5 OR attempts >= $6 THEN 'failed' ELSE 'pending' END,
         finished_at = CASE WHEN $5 OR attempts >= $6 THEN now() END,
         halted = $5, error = $4, claim_token = NULL, lease_until = NULL
        WHERE run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed'`,
      [chunk.runId, chunk.seq, chunk.token, error.slice(0, 2000), halted, CHUNK_MAX_ATTEMPTS],
    );
  }

  /** Gives a held chunk back untouched by its attempt (a worker shutting down): another worker takes it at once. */
  async release(chunk: ClaimedChunk): Promise<void> {
    await this.dataSource.query(
      `UPDATE run_chunks SET status = 'pending', claim_token = NULL, lease_until = NULL,
              attempts = greatest(attempts - 1, 0)
        WHERE run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed'`,
      [chunk.runId, chunk.seq, chunk.token],
    );
  }

  /** Where the run's chunks stand, across every worker. */
  async summary(runId: string): Promise<ChunkSummary> {
    const rows: Array<{
      seq: number;
      status: 'pending' | 'claimed' | 'done' | 'failed';
      size: number;
      done_tickets: number;
      issues_found: number;
      no_product_issue: number;
      failed_tickets: number;
      done_by: string | null;
      halted: boolean;
      error: string | null;
      expired: boolean;
    }> = await this.dataSource.query(
      `SELECT seq, status, cardinality(ticket_ids) AS size, done_tickets, issues_found, no_product_issue,
              failed_tickets, done_by, halted, error, (status = 'claimed' AND lease_until < now()) AS expired
         FROM run_chunks WHERE run_id = $1 ORDER BY seq`,
      [runId],
    );
    const out: ChunkSummary = {
      chunks: rows.length,
      pending: 0,
      claimed: 0,
      expired: 0,
      done: 0,
      failed: 0,
      tickets: 0,
      doneTickets: 0,
      tally: { issuesFound: 0, noProductIssue: 0, failed: 0 },
      workers: {},
      halted: null,
      failures: [],
    };
    for (const r of rows) {
      out[r.status]++;
      if (r.expired) out.expired++;
      out.tickets += Number(r.size);
      out.doneTickets += r.status === 'failed' ? 0 : Math.min(Number(r.done_tickets), Number(r.size));
      out.tally.issuesFound += Number(r.issues_found);
      out.tally.noProductIssue += Number(r.no_product_issue);
      out.tally.failed += Number(r.failed_tickets);
      if (r.status === 'done' && r.done_by) out.workers[r.done_by] = (out.workers[r.done_by] ?? 0) + 1;
      if (r.halted && !out.halted) out.halted = r.error;
      if (r.status === 'failed') out.failures.push({ seq: r.seq, error: r.error ?? 'unknown error' });
    }
    return out;
  }

  private get singleConnection(): boolean {
    return (this.dataSource.options as { extra?: { max?: number } }).extra?.max === 1;
  }
}
