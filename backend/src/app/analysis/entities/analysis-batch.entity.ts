import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, TimestampColumn } from '@app/database/columns';

export interface BatchRequestRef {
  customId: string;
  ticketId: number;
  contentHash: string;
}

/** A submitted Message Batch. Kept so a restarted run polls it instead of submitting the tickets again. */
@Entity({ name: 'analysis_batches' })
export class AnalysisBatch {
  /** The Anthropic batch id (`msgbatch_…`). */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  model!: string;

  /** `in_progress` until its results are recorded, then `processed`. */
  @Column({ type: 'varchar', length: 16 })
  status!: 'in_progress' | 'processed';

  @Column({ type: 'jsonb' })
  requests!: BatchRequestRef[];

  @CreatedAtColumn()
  createdAt!: Date;

  @TimestampColumn('processed_at', { nullable: true })
  processedAt!: Date | null;
}
