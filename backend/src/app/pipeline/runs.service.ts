import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { PageQuery, pageWindow } from '../common/pagination';
import { Run, RunError, RunKind, RunParams, RunPhase, RunStats, RunStatus, RunTrigger } from './entities/run.entity';
import { isUniqueViolation } from '../common/errors';

const MAX_ERRORS = 200;
const ACTIVE: RunStatus[] = ['queued', 'running'];

/** The rows an UPDATE … RETURNING answered (TypeORM gives `[rows, affected]` for UPDATE). */
const returned = <T>(result: [T[], number]): T[] => result[0];

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

const LEASE_COLUMNS = `id, kind, status, owner, claim_token AS "claimToken", attempts, heartbeat_at AS "heartbeatAt",
  coalesce(lease_until, created_at + $1 * interval '1 millisecond') < now() AS expired`;

/** Run history and progress. The database enforces one active run, and one run per schedule tick. */
@Injectable()
export class RunsService {
  /** Set by the run reaper: ends an active run whose owner is gone, so a dead run never answers 409. */
  private endIfDead?: (run: Run) => Promise<boolean>;

  constructor(@InjectRepository(Run) private readonly runs: Repository<Run>) {}

  /** The reaper registers here (it depends on the queue, which depends on this service through the pipeline). */
  onActiveRunFound(check: (run: Run) => Promise<boolean>): void {
    this.endIfDead = check;
  }

  /**
   * Creates a queued run. Throws 409 while another run is active. With a `scheduleKey`, returns null when a
   * run for that tick exists already (another replica created it).
   */
  async create(input: {
    kind: RunKind;
    trigger: RunTrigger;
    params?: RunParams;
    scheduleKey?: string;
    requestedBy?: string | null;
  }): Promise<Run | null> {
    // The common case answered without a failing INSERT; the unique indexes still decide races.
    let active = await this.active();
    if (active && (await this.endIfDead?.(active))) active = await this.active();
    if (active) {
      if (input.scheduleKey) return null;
      throw new ConflictException(`A run is already in progress (${active.id}); try again when it ends`);
    }
    try {
      return await this.runs.save(
        this.runs.create({
          kind: input.kind,
          trigger: input.trigger,
          status: 'queued',
          phase: 'queued',
          params: input.params ?? {},
          scheduleKey: input.scheduleKey ?? null,
          requestedBy: input.requestedBy ?? null,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'runs_schedule_key')) return null;
      if (isUniqueViolation(error, 'runs_one_active')) {
        if (input.scheduleKey) return null;
        const active = await this.active();
        throw new ConflictException(
          `A run is already in progress (${active?.id ?? 'unknown'}); try again when it ends`,
        );
      }
      throw error;
    }
  }

  get(id: string): Promise<Run | null> {
    return this.runs.findOneBy({ id });
  }

  async getOrFail(id: string): Promise<Run> {
    const run = await this.get(id);
    if (!run) throw new NotFoundException(`Run ${id} not found`);
    return run;
  }

  active(): Promise<Run | null> {
    return this.runs.findOne({ where: { status: In(ACTIVE) }, order: { createdAt: 'DESC' } });
  }

  /** Runs that were queued or running when a process stopped: they are picked up again. */
  unfinished(): Promise<Run[]> {
    return this.runs.find({ where: { status: In(ACTIVE) }, order: { createdAt: 'ASC' } });
  }

  lastFinished(): Promise<Run | null> {
    return this.runs.findOne({ where: { status: In(['succeeded', 'failed']) }, order: { finishedAt: 'DESC' } });
  }

  async start(id: string, phase: RunPhase): Promise<void> {
    await this.runs.update({ id }, {
      status: 'running',
      phase,
      startedAt: () => 'coalesce(started_at, now())',
      heartbeatAt: () => 'now()',
    } as never);
  }

  async progress(
    id: string,
    update: { phase?: RunPhase; done?: number; total?: number | null; stats?: RunStats },
  ): Promise<void> {
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
    const [row] = await this.runs.query(`SELECT ${LEASE_COLUMNS} FROM runs WHERE id = $2`, [leaseMs, id]);
    return (row as RunLease | undefined) ?? null;
  }

  /**
   * Takes the run for an execution by `owner`, if its lease is still as `seen` (compare-and-set: of several
   * processes taking it at once one wins). Counts the attempt. False when another process changed it first.
   */
  async claim(seen: RunLease, owner: string, token: string, leaseMs: number): Promise<boolean> {
    const rows = returned(
      await this.runs.query(
        `UPDATE runs SET owner = $4, claim_token = $5, attempts = attempts + 1, heartbeat_at = now(),
                lease_until = now() + $6 * interval '1 millisecond'
          WHERE id = $1 AND status IN ('queued', 'running') AND claim_token IS NOT DISTINCT FROM $2::uuid
            AND attempts = $3 RETURNING id`,
        [seen.id, seen.claimToken, seen.attempts, owner, token, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /** Extends the lease of the execution `token`; false when the run is no longer its own (ended or taken over). */
  async renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    const rows = returned(
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
    const rows = returned(
      await this.runs.query(
        `UPDATE runs SET claim_token = NULL, lease_until = now() + $4 * interval '1 millisecond'
          WHERE id = $1 AND status IN ('queued', 'running') AND claim_token IS NOT DISTINCT FROM $2::uuid
            AND attempts = $3 RETURNING id`,
        [seen.id, seen.claimToken, seen.attempts, graceMs],
      ),
    );
    return rows.length > 0;
  }

  /** Fails the run if its lease is still as `seen` (nobody took it over meanwhile). True when this call ended it. */
  async failSeen(seen: RunLease, reason: string): Promise<boolean> {
    const rows = returned(
      await this.runs.query(
        `UPDATE runs SET status = 'failed', phase = 'done', error = $4, finished_at = now(), claim_token = NULL,
                lease_until = NULL
          WHERE id = $1 AND status IN ('queued', 'running') AND claim_token IS NOT DISTINCT FROM $2::uuid
            AND attempts = $3 RETURNING id`,
        [seen.id, seen.claimToken, seen.attempts, reason],
      ),
    );
    if (!rows.length) return false;
    await this.addErrors(seen.id, [{ ref: `attempt ${seen.attempts}`, message: reason }]);
    return true;
  }

  /** Ends the run as execution `token` saw it; false (nothing written) when the run was taken from it. */
  async finishClaimed(id: string, token: string, status: 'succeeded' | 'failed', error?: string): Promise<boolean> {
    const rows = returned(
      await this.runs.query(
        `UPDATE runs SET status = $3, phase = 'done', error = $4, finished_at = now(), heartbeat_at = now(),
                claim_token = NULL, lease_until = NULL
          WHERE id = $1 AND claim_token = $2 AND status IN ('queued', 'running') RETURNING id`,
        [id, token, status, error ?? null],
      ),
    );
    return rows.length > 0;
  }

  async list(query: PageQuery): Promise<{ items: Run[]; total: number; page: number; perPage: number }> {
    const { skip, take, page, perPage } = pageWindow(query);
    const [items, total] = await this.runs.findAndCount({ order: { createdAt: 'DESC' }, skip, take });
    return { items, total, page, perPage };
  }
}
