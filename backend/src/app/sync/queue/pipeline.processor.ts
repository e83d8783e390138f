import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { SharedAnalysisService } from '../chunks/shared-analysis.service';
import { PipelineService } from '../pipeline.service';
import { HELP_JOB, HelpJobData, PIPELINE_QUEUE_NAME, RUN_JOB, RunJobData } from './pipeline-queue';

/**
 * Thin: the pipeline does the work. Registered only in processes that take jobs (worker or all). One handler for
 * every job name, so a process takes one job at a time: the run it coordinates, or its help with another's.
 */
@Processor(PIPELINE_QUEUE_NAME)
export class PipelineProcessor {
  constructor(
    private readonly pipeline: PipelineService,
    private readonly shared: SharedAnalysisService,
  ) {}

  @Process('*')
  async handle(job: Job<RunJobData | HelpJobData>): Promise<void> {
    if (job.name === RUN_JOB) return this.pipeline.execute(job.data.runId);
    if (job.name === HELP_JOB) return this.shared.help(job.data as HelpJobData);
    throw new Error(`Unknown job ${job.name}`);
  }
}
