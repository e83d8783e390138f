import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type ChunkStatus = 'pending' | 'claimed' | 'done' | 'failed';

/** A chunk's claim as its holder proves it (the token is its own until the lease runs out and it is taken over). */
export interface ChunkClaim {
  runId: string;
  seq: number;
  token: string;
}

/** What a claim attempt answered: the chunk, now claimed, or failed (claimed too often already). */
export interface ClaimedChunkRow {
  seq: number;
  /** bigint ids, as PostgreSQL returns them. */
  ticket_ids: string[];
  status: ChunkStatus;
  attempts: number;
}

/** One chunk as the run's summary counts it. */
export interface ChunkSummaryRow {
  seq: number;
  status: ChunkStatus;
  size: number;
  done_tickets: number;
  issues_found: number;
  no_product_issue: number;
  failed_tickets: number;
  done_by: string | null;
  halted: boolean;
  error: string | null;
  expired: boolean;
}

/** Counts a fenced write adds to its chunk. */
export interface ChunkTally {
  done: number;
  issuesFound: number;
  noProductIssue: number;
  failed: number;
}

interface SeqRow {
  seq: number;
}

/** The rows an UPDATE … RETURNING answered (TypeORM gives `[rows, affected]` for UPDATE and DELETE). */
const returned = <T>(result: [T[], number]): T[] => result[0];

/** The claim is still its holder's. */
const HELD = `run_id = $1 AND seq = $2 AND claim_token = $3 AND status = 'claimed'`;

/**
 * The `run_chunks` table: a run's analyze phase split into chunks of ticket ids that workers claim
 * (`FOR UPDATE SKIP LOCKED`), hold by a lease, and mark done. Every change of a held chunk names its claim token.
 */
@Injectable()
export class RunChunkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the run's chunks, `chunks[seq]` the ticket ids of chunk `seq` (nothing for a seq that exists). */
  async insert(runId: string, chunks: number[][]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO run_chunks (run_id, seq, ticket_ids)
       SELECT $1, x.seq, ARRAY(SELECT jsonb_array_elements_text(x.ids)::bigint)
         FROM jsonb_to_recordset($2::jsonb) AS x(seq int, ids jsonb)
       ON CONFLICT DO NOTHING`,
      [runId, JSON.stringify(chunks.map((ids, seq) => ({ seq, ids })))],
    );
  }

  async count(runId: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM run_chunks WHERE run_id = $1`,
      [runId],
    );
    return row.n;
  }

  /**
   * Claims the first chunk nobody holds (pending, or claimed with its lease run out) unless the run halted; one
   * claimed `maxAttempts` times already is marked failed instead. Null when nothing is claimable.
   */
  async claimNext(
    runId: string,
    workerId: string,
    token: string,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<ClaimedChunkRow | null> {
    const rows = returned<ClaimedChunkRow>(
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
        [runId, workerId, token, leaseMs, maxAttempts],
      ),
    );
    return rows[0] ?? null;
  }

  /** Extends the lease of a claim that is still its holder's; false when it was lost. */
  async renew(chunk: ChunkClaim, leaseMs: number): Promise<boolean> {
    const rows = returned<SeqRow>(
      await this.dataSource.query(
        `UPDATE run_chunks SET lease_until = now() + $4 * interval '1 millisecond' WHERE ${HELD} RETURNING seq`,
        [chunk.runId, chunk.seq, chunk.token, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Runs `write` while the chunk's row is locked and proven still this holder's claim, and adds `tally` to the
   * chunk's counters in the same transaction. False (nothing written) when the claim was lost. With a
   * single-connection pool (the embedded database) the claim is checked just before the write instead: no other
   * process shares that database.
   */
  async fenced(chunk: ChunkClaim, leaseMs: number, tally: ChunkTally, write: () => Promise<void>): Promise<boolean> {
    const counters = `UPDATE run_chunks SET lease_until = now() + $4 * interval '1 millisecond',
        done_tickets = done_tickets + $5, issues_found = issues_found + $6, no_product_issue = no_product_issue + $7,
        failed_tickets = failed_tickets + $8
      WHERE ${HELD} RETURNING seq`;
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
      if (!(await this.renew(chunk, leaseMs))) return false;
      await write();
      await this.dataSource.query(counters, params);
      return true;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const held: SeqRow[] = await runner.query(`SELECT seq FROM run_chunks WHERE ${HELD} FOR UPDATE`, [
        chunk.runId,
        chunk.seq,
        chunk.token,
      ]);
      if (!held.length) {
        await runner.rollbackTransaction().catch(() => undefined);
        return false;
      }
      await write();
      await runner.query(counters, params);
      await runner.commitTransaction();
      return true;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Marks a held chunk done by `workerId`. False when the claim was lost meanwhile. */
  async complete(chunk: ChunkClaim, workerId: string): Promise<boolean> {
    const rows = returned<SeqRow>(
      await this.dataSource.query(
        `UPDATE run_chunks SET status = 'done', done_by = $4, finished_at = now(), lease_until = NULL, error = NULL,
                done_tickets = cardinality(ticket_ids)
          WHERE ${HELD} RETURNING seq`,
        [chunk.runId, chunk.seq, chunk.token, workerId],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Records why a held chunk failed: back to pending for another attempt, or failed after `maxAttempts` claims,
   * or at once when `halted` (nobody claims more of this run).
   */
  async fail(chunk: ChunkClaim, error: string, halted: boolean, maxAttempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE run_chunks SET
         status = CASE WHEN $5 OR attempts >= $6 THEN 'failed' ELSE 'pending' END,
         finished_at = CASE WHEN $5 OR attempts >= $6 THEN now() END,
         halted = $5, error = $4, claim_token = NULL, lease_until = NULL
        WHERE ${HELD}`,
      [chunk.runId, chunk.seq, chunk.token, error, halted, maxAttempts],
    );
  }

  /** Gives a held chunk back as if this attempt had not happened. */
  async release(chunk: ChunkClaim): Promise<void> {
    await this.dataSource.query(
      `UPDATE run_chunks SET status = 'pending', claim_token = NULL, lease_until = NULL,
              attempts = greatest(attempts - 1, 0)
        WHERE ${HELD}`,
      [chunk.runId, chunk.seq, chunk.token],
    );
  }

  /** Every chunk of the run, in order, with its counters. */
  summaryRows(runId: string): Promise<ChunkSummaryRow[]> {
    return this.dataSource.query(
      `SELECT seq, status, cardinality(ticket_ids) AS size, done_tickets, issues_found, no_product_issue,
              failed_tickets, done_by, halted, error, (status = 'claimed' AND lease_until < now()) AS expired
         FROM run_chunks WHERE run_id = $1 ORDER BY seq`,
      [runId],
    );
  }

  private get singleConnection(): boolean {
    return (this.dataSource.options as { extra?: { max?: number } }).extra?.max === 1;
  }
}
