import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { Run } from './entities/run.entity';
import { RunLease, RunRepository } from './repositories/run.repository';
import { errorMessage } from '@app/common/errors';

/** The execution lost its run: the lease ran out (a hang longer than RUN_LEASE_MS) and another process took it. */
export class RunLeaseLostError extends Error {
  override readonly name = 'RunLeaseLostError';
  constructor(runId: string) {
    super(`run ${runId} was taken over by another process (this one did not renew its lease in time)`);
  }
}

/** One execution's hold on a run: renewed on a timer until `end()`. */
export interface RunClaim {
  readonly run: Run;
  readonly attempt: number;
  /** Throws RunLeaseLostError once the run was taken from this execution. */
  check(): void;
  /** Ends the run, unless it was taken from this execution (then nothing is written). */
  finish(status: 'succeeded' | 'failed', error?: string): Promise<boolean>;
  /** Stops renewing (the execution is over, finished or not). */
  end(): void;
}

/**
 * Who executes a run. The process executing one holds it by a lease in the `runs` row (owner "host:pid:boot",
 * claim token) that a timer renews every third of RUN_LEASE_MS — not only when progress is reported, so a long
 * page or a slow analysis call keeps it. A run whose lease ran out, or whose owner is provably gone (a process on
 * this host that no longer exists), is taken over; after RUN_MAX_ATTEMPTS executions it is failed with the reason.
 */
@Injectable()
export class RunLeaseService implements OnApplicationShutdown {
  /** Owners alive in this process (tests start several apps in one process; each is an owner of its own). */
  private static readonly live = new Set<string>();
  private readonly logger = new Logger(RunLeaseService.name);
  readonly owner: string;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  /** Runs this instance executes right now. */
  private readonly executing = new Set<string>();
  /** Runs this process is taking (claim written, execution not yet held), with how many claims are under way. */
  private readonly claiming = new Map<string, number>();
  private readonly host = hostname();

  constructor(
    private readonly runs: RunRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.owner = `${this.host}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = config.runLeaseMs;
    this.maxAttempts = config.runMaxAttempts;
    RunLeaseService.live.add(this.owner);
  }

  onApplicationShutdown(): void {
    RunLeaseService.live.delete(this.owner);
  }

  /**
   * Whether the process holding `lease` is gone: its lease ran out, or it was on this host and its process no
   * longer exists (a restart after a crash takes its run over at once), or it is this owner and no execution here
   * holds the run any more (a job retried after its execution threw).
   */
  ownerGone(lease: RunLease): boolean {
    if (!lease.claimToken) return false;
    if (lease.expired) return true;
    if (!lease.owner) return true;
    if (lease.owner === this.owner) return !this.executing.has(lease.id) && !this.claiming.has(lease.id);
    const parts = lease.owner.split(':');
    const pid = Number(parts[parts.length - 2]);
    const host = parts.slice(0, -2).join(':');
    if (host !== this.host || !Number.isInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return !RunLeaseService.live.has(lease.owner);
    try {
      process.kill(pid, 0);
      return false; // alive (or a reused pid: the lease decides then)
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  /** What happened to a run's previous execution, for its errors and its final reason. */
  describe(lease: RunLease): string {
    const who = this.config.redisUrl ? 'the worker' : 'the process';
    const seen = lease.heartbeatAt ? new Date(lease.heartbeatAt).toISOString() : 'never';
    return `${who} running it (${lease.owner ?? 'unknown'}) stopped responding; last seen ${seen}`;
  }

  /** The reason a run is given up after its executions kept dying. */
  givenUp(lease: RunLease): string {
    const who = this.config.redisUrl ? 'worker' : 'process';
    const seen = lease.heartbeatAt ? new Date(lease.heartbeatAt).toISOString() : 'never';
    return (
      `The ${who} running it stopped responding ${lease.attempts} time${lease.attempts === 1 ? '' : 's'}; ` +
      `last seen ${seen} (${lease.owner ?? 'unknown'}). Given up after ${lease.attempts} of RUN_MAX_ATTEMPTS=${this.maxAttempts} attempts: ` +
      `start a new run (a sync continues from its saved cursor)`
    );
  }

  /**
   * Takes the run for an execution here. Null when there is nothing to do: the run ended, a live process holds
   * it (a duplicate job), or it had its attempts already (then it is failed with the reason).
   */
  async claim(runId: string): Promise<RunClaim | null> {
    for (let tries = 0; tries < 5; tries++) {
      const seen = await this.runs.lease(runId, this.leaseMs);
      if (!seen || (seen.status !== 'queued' && seen.status !== 'running')) return null;
      if (seen.claimToken && !this.ownerGone(seen)) {
        this.logger.log(`run ${runId} is being executed by ${seen.owner}; this job leaves it`);
        return null;
      }
      if (seen.claimToken && seen.attempts >= this.maxAttempts) {
        if (await this.runs.failSeen(seen, this.givenUp(seen))) {
          this.logger.error(`run ${runId} failed: ${this.givenUp(seen)}`);
          return null;
        }
        continue;
      }
      const token = randomUUID();
      // From the claim's write until `hold`, this process owns the run without executing it yet: it is not gone
      // (a trigger or the reaper looking in between would end a run that is starting).
      this.claiming.set(runId, (this.claiming.get(runId) ?? 0) + 1);
      try {
        if (!(await this.runs.claim(seen, this.owner, token, this.leaseMs))) continue; // another process was quicker
        const attempt = seen.attempts + 1;
        if (seen.claimToken) {
          await this.runs.addErrors(runId, [{ ref: `attempt ${attempt}`, message: `resumed: ${this.describe(seen)}` }]);
        }
        const run = await this.runs.get(runId);
        if (!run) return null;
        return this.hold(run, token, attempt);
      } finally {
        const left = (this.claiming.get(runId) ?? 1) - 1;
        if (left > 0) this.claiming.set(runId, left);
        else this.claiming.delete(runId);
      }
    }
    return null;
  }

  private hold(run: Run, token: string, attempt: number): RunClaim {
    this.executing.add(run.id);
    let lost = false;
    let ended = false;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewing
          .then(() => this.runs.renew(run.id, token, this.leaseMs))
          .then(
            (held) => {
              if (!held && !ended && !lost) {
                lost = true;
                this.logger.warn(`run ${run.id}: ${this.owner} lost its lease`);
              }
            },
            (error: unknown) => this.logger.warn(`lease of run ${run.id} not renewed: ${errorMessage(error)}`),
          );
      },
      Math.max(200, Math.floor(this.leaseMs / 3)),
    );
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      this.executing.delete(run.id);
    };
    return {
      run,
      attempt,
      check: () => {
        if (lost) throw new RunLeaseLostError(run.id);
      },
      finish: async (status, error) => {
        const done = await this.runs.finishClaimed(run.id, token, status, error);
        if (!done) this.logger.warn(`run ${run.id} was taken over; ${this.owner} does not end it`);
        return done;
      },
      end,
    };
  }
}
