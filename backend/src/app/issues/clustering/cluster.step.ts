import type { ClusteringService, ClusteringSummary } from './clustering.service';

/**
 * The pipeline's cluster phase (a `PipelineStep` of the sync module, constructed there like the analysis step:
 * this module does not import the sync module).
 */
export class ClusterStep {
  readonly phase = 'cluster' as const;
  /** The last summary, for logs and tests. */
  lastSummary: ClusteringSummary | null = null;

  constructor(private readonly clustering: ClusteringService) {}

  async run(run: { id: string }, report: (done: number, total: number) => Promise<void>): Promise<void> {
    this.lastSummary = await this.clustering.clusterPending(run.id, report);
  }
}
