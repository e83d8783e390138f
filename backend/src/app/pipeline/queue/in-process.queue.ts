import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PipelineService } from '../pipeline.service';
import { PipelineQueue, RunJobState } from './pipeline-queue';

/** Without Redis: runs execute one after another in this process, through the same PipelineService. */
@Injectable()
export class InProcessQueue extends PipelineQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(InProcessQueue.name);
  private readonly pending = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly pipeline: PipelineService) {
    super();
  }

  async enqueue(runId: string): Promise<void> {
    if (this.pending.has(runId) || this.stopped) return;
    this.pending.add(runId);
    this.chain = this.chain
      .then(() => (this.stopped ? undefined : this.pipeline.execute(runId)))
      .catch((error: unknown) => this.logger.error(`run ${runId}: ${String(error)}`))
      .finally(() => this.pending.delete(runId));
  }

  async jobState(runId: string): Promise<{ state: RunJobState }> {
    return { state: this.pending.has(runId) ? 'pending' : 'missing' };
  }

  async depth(): Promise<number> {
    return this.pending.size;
  }

  /** Resolves when every enqueued run has finished (tests, graceful shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
  }
}
