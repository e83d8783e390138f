import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { SharedAnalysisService } from '../chunks/shared-analysis.service';
import { PipelineService } from '../pipeline.service';
import { RunReaperService } from '../run-reaper.service';
import { HELP_JOB, HelpJobData, PIPELINE_QUEUE_NAME, RUN_JOB, RunJobData } from './pipeline-queue';
import { errorMessage } from '@app/common/errors';

/**
 * Thin: the pipeline does the work. Registered only in processes that take jobs (worker or all). One handler for
 * every job name, so a process takes one job at a time: the run it coordinates, or its help with another's.
 *
 * Registered here, not with `@Processor`/`@Process`: @nestjs/bull drops the promise `queue.process()` returns, and
 * Bull rejects it with the Redis client's last connection error (e.g. ECONNREFUSED) when the queue is closed while
 * its subscriber client is still connecting to an unreachable Redis — an unhandled rejection.
 */
@Injectable()
export class PipelineProcessor implements OnModuleInit {
  private readonly logger = new Logger(PipelineProcessor.name);

  constructor(
    @InjectQueue(PIPELINE_QUEUE_NAME) private readonly queue: Queue<RunJobData | HelpJobData>,
    private readonly pipeline: PipelineService,
    private readonly shared: SharedAnalysisService,
    private readonly reaper: RunReaperService,
  ) {}

  onModuleInit(): void {
    // A run job that failed for good ends its run (emitted here for jobs this process ran or found stalled).
    this.queue.on('failed', (job: Job<RunJobData | HelpJobData>, error: Error) => {
      void job
        .isFailed()
        .then((final) => this.reaper.jobFailed(job.id, error?.message ?? String(error), final))
        .catch((e: unknown) => this.logger.warn(`failed job ${job.id} not handled: ${errorMessage(e)}`));
    });
    this.queue
      .process('*', (job: Job<RunJobData | HelpJobData>) => this.handle(job))
      .catch((error: unknown) => this.logger.warn(`pipeline queue stopped taking jobs: ${errorMessage(error)}`));
  }

  async handle(job: Job<RunJobData | HelpJobData>): Promise<void> {
    if (job.name === RUN_JOB) return this.pipeline.execute(job.data.runId);
    if (job.name === HELP_JOB) return this.shared.help(job.data as HelpJobData);
    throw new Error(`Unknown job ${job.name}`);
  }
}
