import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AnalysisBatch, BatchRequestRef } from '../entities/analysis-batch.entity';

/** Submitted Message Batches (`analysis_batches`), kept so a restarted run polls them instead of resubmitting. */
@Injectable()
export class AnalysisBatchRepository {
  constructor(@InjectRepository(AnalysisBatch) private readonly batches: Repository<AnalysisBatch>) {}

  /** Batches not processed yet (an interrupted run's), oldest first. */
  findOpen(): Promise<AnalysisBatch[]> {
    return this.batches.find({ where: { status: 'in_progress' }, order: { createdAt: 'ASC' } });
  }

  countOpen(): Promise<number> {
    return this.batches.count({ where: { status: 'in_progress' } });
  }

  /** Stores a batch just submitted (in progress). */
  insertSubmitted(batch: { id: string; runId: string | null; model: string; requests: BatchRequestRef[] }) {
    return this.batches.save(this.batches.create({ ...batch, status: 'in_progress' }));
  }

  /** Marks a batch processed: its results are recorded. */
  async markProcessed(id: string): Promise<void> {
    await this.batches.update({ id }, { status: 'processed', processedAt: new Date() });
  }
}
