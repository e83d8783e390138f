import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import {
  HELP_JOB,
  HelpJobData,
  PIPELINE_QUEUE_NAME,
  PipelineQueue,
  RUN_JOB,
  RunJobData,
  RunJobState,
  runJobId,
} from './pipeline-queue';

const RETRIES: JobOptions = { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } };
const helpJobId = (runId: string, k: number) => `run:${runId}:help:${k}`;

/** With Redis: runs are Bull jobs, shared by the API and any number of worker processes. */
@Injectable()
export class BullPipelineQueue extends PipelineQueue {
  constructor(@InjectQueue(PIPELINE_QUEUE_NAME) private readonly queue: Queue<RunJobData | HelpJobData>) {
    super();
  }

  async enqueue(runId: string, attempt = 1): Promise<void> {
    const jobId = runJobId(runId, attempt);
    // A finished job of this attempt (it left without executing: another process held the run) is kept by Bull,
    // which would ignore the new one.
    const old = await this.queue.getJob(jobId);
    if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
    await this.queue.add(RUN_JOB, { runId }, { jobId, ...RETRIES, removeOnComplete: 1000, removeOnFail: 1000 });
  }

  async jobState(runId: string, attempt: number): Promise<{ state: RunJobState; reason?: string }> {
    const job = await this.queue.getJob(runJobId(runId, attempt));
    if (!job) return { state: 'missing' };
    const state = await job.getState();
    if (state === 'completed') return { state };
    if (state === 'failed') return { state, reason: job.failedReason ?? 'unknown error' };
    return { state: 'pending' };
  }

  /**
   * `count` help jobs for a run's analyze phase: every worker process that is free takes one and works on the
   * run's chunks until none is left. Stable ids: enqueuing them again (a re-executed run) adds none twice; they are
   * not kept once finished, so a later execution of the same run can add them again.
   */
  async enqueueHelpers(data: HelpJobData, count: number): Promise<void> {
    for (let k = 1; k <= count; k++)
      await this.queue.add(HELP_JOB, data, {
        jobId: helpJobId(data.runId, k),
        ...RETRIES,
        removeOnComplete: true,
        removeOnFail: true,
      });
  }

  /** Removes the run's help jobs no worker took (the phase ended without them). */
  async removeHelpers(runId: string, count: number): Promise<void> {
    for (let k = 1; k <= count; k++) {
      const job = await this.queue.getJob(helpJobId(runId, k));
      if (job && ((await job.isWaiting()) || (await job.isDelayed()))) await job.remove().catch(() => undefined);
    }
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts();
    return counts.waiting + counts.active + counts.delayed;
  }
}
