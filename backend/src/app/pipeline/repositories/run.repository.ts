import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Run, RunError, RunKind, RunParams, RunPhase, RunStats, RunStatus, RunTrigger } from '../entities/run.entity';

const MAX_ERRORS = 200;
const ACTIVE: RunStatus[] = ['queued', 'running'];

/** Who holds an active run, and whether their lease ran out (by the database's clock, the same for every host). */
export interface RunLease {
  id: string;
  kind: RunKind;
  status: RunStatus;
  owner: string | null;
  claimToken: string | null;
  attempts: number;
  heartbeatAt: Date | null;
  /** The lease (or, unclaimed, the time given to its job to start) ran out. */
  expired: boolean;
}

/** A new run as it is stored: queued, not yet claimed. */
export interface NewRun {
  kind: RunKind;
  trigger: RunTrigger;
  params: RunParams;
  scheduleKey: string | null;
  requestedBy: string | null;
}

/** What a progress report changes (any field left out stays). */
export interface RunProgress {
  phase?: RunPhase;
  done?: number;
  total?: number | null;
  stats?: RunStats;
}

/** The row an UPDATE … RETURNING id answered. */
interface IdRow {
  id: string;
}

/** The rows an UPDATE … RETURNING answered (TypeORM gives `[rows, affected]` for UPDATE). */
const returned = <T>(result: [T[], number]): T[] => result[0];

const LEASE_COLUMNS = `id, kind, status, owner, claim_token AS "claimToken", attempts, heartbeat_at AS "heartbeatAt",
  coalesce(lease_until, created_at + $1 * interval '1 millisecond') < now() AS expired`;

/** Still as `seen`: active, and neither claimed nor released since (compare-and-set on the claim and attempts). */
const AS_SEEN = `id = $1 AND status IN ('queued', 'running') AND claim_token IS NOT DISTINCT FROM $2::uuid
            AND attempts = $3`;

/**
 * The `runs` table: run history, progress and errors, and the lease by which one process executes a run. Every
 * change of a lease is a compare-and-set, so processes doing it at once change it once.
 */
@Injectable()
export class RunRepository {
  constructor(@InjectRepository(Run) private readonly runs: Repository<Run>) {}

  /** Stores a queued run (the unique indexes `runs_one_active` and `runs_schedule_key` may refuse it). */
  insertQueued(run: NewRun): Promise<Run> {
    return this.runs.save(this.runs.create({ ...run, status: 'queued', phase: 'queued' }));
  }

  get(id: string): Promise<Run | null> {
    return this.runs.findOneBy({ id });
  }

  /** The active run, if any (the database allows one). */
  active(): Promise<Run | null> {
    return this.runs.findOne({ where: { status: In(ACTIVE) }, order: { createdAt: 'DESC' } });
  }

  lastFinished(): Promise<Run | null> {
    return this.runs.findOne({ where: { status: In(['succeeded', 'failed']) }, order: { finishedAt: 'DESC' } });
  }

  /** A page of the history, newest first, with the number of runs. */
  page(skip: number, take: number): Promise<[Run[], number]> {
    return this.runs.findAndCount({ order: { createdAt: 'DESC' }, skip, take });
  }

  async start(id: string, phase: RunPhase): Promise<void> {
    // Only an active run: one ended meanwhile (failed by the reaper) never comes back as running.
    await this.runs.update(
      { id, status: In(['queued', 'running']) } as never,
      {
        status: 'running',
        phase,
        startedAt: () => 'coalesce(started_at, now())',
        heartbeatAt: () => 'now()',
      } as never,
    );
  }

  /** Records progress (and that the run is alive); `stats` are merged into the run's. */
  async progress(id: string, update: RunProgress): Promise<void> {
    const set: Record<string, unknown> = { heartbeatAt: () => 'now()' };
    if (update.phase) set['phase'] = update.phase;
    if (update.done !== undefined) set['done'] = update.done;
    if (update.total !== undefined) set['total'] = update.total;
    if (update.stats) set['stats'] = () => `stats || :stats::jsonb`;
    await this.runs
      .createQueryBuilder()
      .update(Run)
      .set(set as never)
      .where('id = :id', { id })
      .setParameter('stats', JSON.stringify(update.stats ?? {}))
      .execute();
  }

  /** Appends errors (kept to the last 200) without failing the run. */
  async addErrors(id: string, errors: Omit<RunError, 'at'>[]): Promise<void> {
    if (!errors.length) return;
    const at = new Date().toISOString();
    await this.runs.query(
      `UPDATE runs SET errors = (SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM (
         SELECT e FROM jsonb_array_elements(errors || $2::jsonb) AS e OFFSET greatest(jsonb_array_length(errors || $2::jsonb) - ${MAX_ERRORS}, 0)
       ) s) WHERE id = $1`,
      [id, JSON.stringify(errors.map((e) => ({ at, ...e })))],
    );
  }

  async finish(id: string, status: 'succeeded' | 'failed', error?: string): Promise<void> {
    await this.runs.update({ id }, {
      status,
      phase: 'done',
      error: error ?? null,
      finishedAt: () => 'now()',
      heartbeatAt: () => 'now()',
      claimToken: null,
      leaseUntil: null,
    } as never);
  }

  /** Active runs with their leases (at most one: the database allows one active run). */
  activeLeases(leaseMs: number): Promise<RunLease[]> {
    return this.runs.query(
      `SELECT ${LEASE_COLUMNS} FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at`,
      [leaseMs],
    );
  }

  async lease(id: string, leaseMs: number): Promise<RunLease | null> {
    const rows: RunLease[] = await this.runs.query(`SELECT ${LEASE_COLUMNS} FROM runs WHERE id = $2`, [leaseMs, id]);
    return rows[0] ?? null;
  }

  /**
   * Takes the run for an execution by `owner`, if its lease is still as `seen` (compare-and-set: of several
   * processes taking it at once one wins). Counts the attempt. False when another process changed it first.
   */
  async claim(seen: RunLease, owner: string, token: string, leaseMs: number): Promise<boolean> {
    const rows = returned<IdRow>(
      await this.runs.query(
        `UPDATE runs SET owner = $4, claim_token = $5, attempts = attempts + 1, heartbeat_at = now(),
                lease_until = now() + $6 * interval '1 millisecond'
          WHERE ${AS_SEEN} RETURNING id`,
        [seen.id, seen.claimToken, seen.attempts, owner, token, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /** Extends the lease of the execution `token`; false when the run is no longer its own (ended or taken over). */
  async renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    const rows = returned<IdRow>(
      await this.runs.query(
        `UPDATE runs SET lease_until = now() + $3 * interval '1 millisecond', heartbeat_at = now()
          WHERE id = $1 AND claim_token = $2 AND status IN ('queued', 'running') RETURNING id`,
        [id, token, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Takes a dead owner's claim off the run (still as `seen`), giving its next job `graceMs` to start. The run keeps
   * its status, phase and attempts; the next execution resumes it from its cursor and chunks.
   */
  async release(seen: RunLease, graceMs: number): Promise<boolean> {
    const rows = returned<IdRow>(
      await this.runs.query(
        `UPDATE runs SET claim_token = NULL, lease_until = now() + $4 * interval '1 millisecond'
          WHERE ${AS_SEEN} RETURNING id`,
        [seen.id, seen.claimToken, seen.attempts, graceMs],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Fails the run if its lease is still as `seen` (nobody took it over meanwhile), and adds the reason to its
   * errors. True when this call ended it.
   */
  async failSeen(seen: RunLease, reason: string): Promise<boolean> {
    const rows = returned<IdRow>(
      await this.runs.query(
        `UPDATE runs SET status = 'failed', phase = 'done', error = $4, finished_at = now(), claim_token = NULL,
                lease_until = NULL
          WHERE ${AS_SEEN} RETURNING id`,
        [seen.id, seen.claimToken, seen.attempts, reason],
      ),
    );
    if (!rows.length) return false;
    await this.addErrors(seen.id, [{ ref: `attempt ${seen.attempts}`, message: reason }]);
    return true;
  }

  /** Ends the run as execution `token` saw it; false (nothing written) when the run was taken from it. */
  async finishClaimed(id: string, token: string, status: 'succeeded' | 'failed', error?: string): Promise<boolean> {
    const rows = returned<IdRow>(
      await this.runs.query(
        `UPDATE runs SET status = $3, phase = 'done', error = $4, finished_at = now(), heartbeat_at = now(),
                claim_token = NULL, lease_until = NULL
          WHERE id = $1 AND claim_token = $2 AND status IN ('queued', 'running') RETURNING id`,
        [id, token, status, error ?? null],
      ),
    );
    return rows.length > 0;
  }
}
