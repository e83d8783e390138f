import type { Run } from '../entities/run.entity';
import type { PipelineStep } from '../pipeline.service';
import type { SharedAnalysisService } from './shared-analysis.service';

/** The pipeline's analyze phase with Redis: shared by every free worker process (see `SharedAnalysisService`). */
export class SharedAnalysisStep implements PipelineStep {
  readonly phase = 'analyze' as const;

  constructor(private readonly shared: SharedAnalysisService) {}

  run(run: Run, report: (done: number, total: number) => Promise<void>): Promise<void> {
    return this.shared.coordinate(run.id, report);
  }
}
