import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { Run } from './entities/run.entity';
import { parseRunJobId, PipelineQueue } from './queue/pipeline-queue';
import { RunLeaseService } from './run-lease.service';
import { RunLease, RunRepository } from './repositories/run.repository';
import { RunsService } from './runs.service';
import { ImportUploadsService } from './uploads/import-uploads.service';
import { errorMessage } from '@app/common/errors';

/**
 * Makes sure no run stays active without someone executing it. Every process (api, worker, all; with Redis or
 * without) checks the active run at boot and then every quarter of RUN_LEASE_MS (at most every 15 s): one cheap
 * query, and every change is a compare-and-set on the run's lease, so replicas doing it at once change it once.
 *
 * - A run whose owner is gone is resumed with a new job (`run:<id>:<attempt>`; its cursor and chunks make the
 *   next execution continue), or failed with the reason once it had RUN_MAX_ATTEMPTS executions.
 * - A run no execution holds, whose job failed in the queue (the database away through every retry), ends
 *   failed with the job's reason; one whose job is gone gets a new one.
 * - A run job that fails for good ends its run (`jobFailed`, from Bull's failed event), unless a live execution
 *   still holds the run (then that execution ends it, or this reaper once it stops renewing).
 * - Creating a run (sync, import, re-analysis, the nightly tick) first ends an active run whose owner is gone,
 *   so a dead run never answers 409.
 */
@Injectable()
export class RunReaperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RunReaperService.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private pass: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    runService: RunsService,
    private readonly runs: RunRepository,
    private readonly leases: RunLeaseService,
    private readonly queue: PipelineQueue,
    private readonly uploads: ImportUploadsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intervalMs = Math.min(15_000, Math.max(250, Math.floor(config.runLeaseMs / 4)));
    runService.onActiveRunFound((run) => this.endIfDead(run));
  }

  /** The first pass at boot resumes what a crash of this process (or another) left (the in-process crash loop ends at RUN_MAX_ATTEMPTS). */
  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  /** One pass over the active runs (at most one). */
  tick(): Promise<void> {
    if (this.stopped) return this.pass;
    this.pass = this.pass
      .then(() => this.reap())
      .catch((error: unknown) => this.logger.warn(`run check failed: ${errorMessage(error)}`));
    return this.pass;
  }

  private async reap(): Promise<void> {
    for (const lease of await this.runs.activeLeases(this.leases.leaseMs)) {
      if (this.stopped) return;
      await this.reapOne(lease);
    }
  }

  private async reapOne(lease: RunLease): Promise<void> {
    const next = lease.attempts + 1;
    if (lease.claimToken) {
      if (!this.leases.ownerGone(lease)) return;
      if (lease.attempts >= this.leases.maxAttempts) {
        const reason = this.leases.givenUp(lease);
        await this.fail(lease, reason, 'error');
        return;
      }
      if (!(await this.runs.release(lease, this.leases.leaseMs))) return; // another process handled it
      const what = this.leases.describe(lease);
      await this.runs.addErrors(lease.id, [{ ref: `attempt ${lease.attempts}`, message: `${what}; resumed` }]);
      this.logger.warn(`run ${lease.id}: ${what}; resuming it (attempt ${next} of ${this.leases.maxAttempts})`);
      await this.queue.enqueue(lease.id, next);
      return;
    }
    if (!lease.expired) return; // its job has time to start
    const job = await this.queue.jobState(lease.id, next);
    if (job.state === 'pending') return; // waiting for a free worker
    if (job.state === 'failed') {
      const reason = `Its job failed in the queue: ${job.reason ?? 'unknown error'}`;
      await this.fail(lease, reason, 'error');
      return;
    }
    // No job for it (lost with Redis's data, or it left while another execution held the run): give it one.
    if (await this.runs.release(lease, this.leases.leaseMs)) {
      this.logger.warn(`run ${lease.id} had no job; enqueuing attempt ${next}`);
      await this.queue.enqueue(lease.id, next);
    }
  }

  /**
   * The trigger path: ends `run` (failed, with what happened) when nobody executes it any more, so that a new run
   * can start. True when it is no longer active.
   */
  async endIfDead(run: Run): Promise<boolean> {
    const lease = await this.runs.lease(run.id, this.leases.leaseMs);
    if (!lease || (lease.status !== 'queued' && lease.status !== 'running')) return true;
    let reason: string;
    if (lease.claimToken) {
      if (!this.leases.ownerGone(lease)) return false;
      reason = `${this.leases.describe(lease)} (attempt ${lease.attempts}); ended so that a new run could start`;
    } else {
      if (!lease.expired) return false;
      const job = await this.queue.jobState(lease.id, lease.attempts + 1);
      if (job.state === 'pending') return false;
      reason =
        job.state === 'failed'
          ? `Its job failed in the queue: ${job.reason ?? 'unknown error'}`
          : 'No process took it (its job is gone); ended so that a new run could start';
    }
    await this.fail(lease, reason, 'warn');
    return true;
  }

  /**
   * Bull's failed event: a run job that will not be retried (its last attempt threw, or it stalled more than
   * Bull allows: the worker died or blocked past its lock) ends its run, failed with the job's reason.
   */
  async jobFailed(jobId: string | number | undefined, reason: string, final: boolean): Promise<void> {
    const ids = parseRunJobId(jobId);
    if (!ids || !final) return;
    const lease = await this.runs.lease(ids.runId, this.leases.leaseMs);
    if (!lease || (lease.status !== 'queued' && lease.status !== 'running')) return;
    // Only the run's current job speaks for it (an older attempt's job may fail after the run was resumed).
    if (ids.attempt !== (lease.claimToken ? lease.attempts : lease.attempts + 1)) return;
    if (lease.claimToken && !this.leases.ownerGone(lease)) return; // a live execution holds it and will end it
    const message = `Its job failed in the queue (attempt ${ids.attempt}): ${reason}${lease.claimToken ? `; ${this.leases.describe(lease)}` : ''}`;
    await this.fail(lease, message, 'error');
  }

  /** Ends a dead run failed (once, whichever replica gets there first) and deletes the upload it was importing. */
  private async fail(lease: RunLease, reason: string, level: 'error' | 'warn'): Promise<void> {
    if (!(await this.runs.failSeen(lease, reason))) return;
    this.logger[level](`run ${lease.id} failed: ${reason}`);
    await this.uploads
      .purgeOrphans()
      .catch((error: unknown) => this.logger.warn(`upload purge failed: ${errorMessage(error)}`));
  }
}
