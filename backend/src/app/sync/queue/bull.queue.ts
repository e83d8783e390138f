import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { PipelineService } from '../pipeline.service';
import { PIPELINE_QUEUE_NAME, PipelineQueue, RUN_JOB, RunJobData } from './pipeline-queue';

/** With Redis: runs are Bull jobs, shared by the API and any number of worker processes. */
@Injectable()
export class BullPipelineQueue extends PipelineQueue {
  constructor(@InjectQueue(PIPELINE_QUEUE_NAME) private readonly queue: Queue<RunJobData>) {
    super();
  }

  async enqueue(runId: string): Promise<void> {
    await this.queue.add(
      RUN_JOB,
      { runId },
      {
        jobId: `run:${runId}`,
        attempts: 3,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      },
    );
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts();
    return counts.waiting + counts.active + counts.delayed;
  }
}

/** Thin: the pipeline does the work. Registered only in processes that take jobs (worker or all). */
@Processor(PIPELINE_QUEUE_NAME)
export class PipelineProcessor {
  constructor(private readonly pipeline: PipelineService) {}

  @Process(RUN_JOB)
  async run(job: Job<RunJobData>): Promise<void> {
    await this.pipeline.execute(job.data.runId);
  }
}
