import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AnalysisTally } from '@app/analysis/analysis.service';
import { ChunkSummaryRow, RunChunkRepository } from '../repositories/run-chunk.repository';

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

/** The claim of a chunk was lost (its lease ran out and another worker took the chunk over). */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
  constructor(chunk: ClaimedChunk) {
    super(`chunk ${chunk.seq} of run ${chunk.runId} was taken over by another worker`);
  }
}

/**
 * A run's analyze phase split into chunks of ticket ids (`run_chunks`) that any worker process claims
 * (`FOR UPDATE SKIP LOCKED`, so claims never wait on each other or hand one chunk out twice), holds by a lease it
 * renews, and marks done. PostgreSQL decides every race; Redis only carries the jobs that bring workers in.
 */
@Injectable()
export class RunChunksService {
  constructor(private readonly chunks: RunChunkRepository) {}

  /**
   * Splits `ids` into chunks of this run, unless it has chunks already (a re-executed run continues with its
   * chunks: what is done stays done). The number of chunks of the run.
   */
  async plan(runId: string, ids: number[], size = CHUNK_SIZE): Promise<number> {
    const existing = await this.chunks.count(runId);
    if (existing || !ids.length) return existing;
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
    await this.chunks.insert(runId, chunks);
    return this.chunks.count(runId);
  }

  count(runId: string): Promise<number> {
    return this.chunks.count(runId);
  }

  /**
   * Claims the first chunk nobody holds: pending, or claimed by a worker whose lease ran out. A chunk claimed
   * CHUNK_MAX_ATTEMPTS times already is marked failed instead (its workers keep dying on it). Null when nothing is
   * claimable, or once a worker hit a run-stopping error.
   */
  async claim(runId: string, workerId: string, leaseMs: number): Promise<ClaimedChunk | null> {
    for (;;) {
      const token = randomUUID();
      const row = await this.chunks.claimNext(runId, workerId, token, leaseMs, CHUNK_MAX_ATTEMPTS);
      if (!row) return null;
      if (row.status === 'failed') continue;
      return { runId, seq: row.seq, ticketIds: row.ticket_ids.map(Number), token, attempts: row.attempts };
    }
  }

  /** Extends the lease of a claim that is still its holder's; false when it was lost. */
  renew(chunk: ClaimedChunk, leaseMs: number): Promise<boolean> {
    return this.chunks.renew(chunk, leaseMs);
  }

  /**
   * Runs one write of analysis results while the chunk's row is locked and proven still this holder's claim, and
   * adds `tally` to the chunk's counters in the same transaction: a worker whose lease ran out (stalled, not dead)
   * cannot write results for a chunk another worker took over (a takeover skips locked rows, so it waits for the
   * write to commit and then resumes after it). Throws ClaimLostError when the claim was lost.
   */
  async fenced(chunk: ClaimedChunk, leaseMs: number, tally: AnalysisTally, write: () => Promise<void>): Promise<void> {
    if (!(await this.chunks.fenced(chunk, leaseMs, tally, write))) throw new ClaimLostError(chunk);
  }

  /** Marks a held chunk done by `workerId`. False when the claim was lost meanwhile. */
  complete(chunk: ClaimedChunk, workerId: string): Promise<boolean> {
    return this.chunks.complete(chunk, workerId);
  }

  /**
   * Records why a held chunk failed: it goes back to pending for another attempt, or ends failed after
   * CHUNK_MAX_ATTEMPTS, or at once when the error stops the run (`halted`: nobody claims more of this run).
   */
  fail(chunk: ClaimedChunk, error: string, halted = false): Promise<void> {
    return this.chunks.fail(chunk, error.slice(0, 2000), halted, CHUNK_MAX_ATTEMPTS);
  }

  /** Gives a held chunk back untouched by its attempt (a worker shutting down): another worker takes it at once. */
  release(chunk: ClaimedChunk): Promise<void> {
    return this.chunks.release(chunk);
  }

  /** Where the run's chunks stand, across every worker. */
  async summary(runId: string): Promise<ChunkSummary> {
    return summarize(await this.chunks.summaryRows(runId));
  }
}

/** Adds up the chunks' states and counters. */
function summarize(rows: ChunkSummaryRow[]): ChunkSummary {
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
