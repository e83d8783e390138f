import { Column, Entity } from 'typeorm';
import { DecimalColumn, UuidRow, ZendeskIdColumn } from '@app/database/columns';
import type { AnalysisStatus } from '../analyzer';

/** One analysis of one ticket (every attempt is kept; the newest is the ticket's current analysis). */
@Entity({ name: 'ticket_analyses' })
export class TicketAnalysis extends UuidRow {
  @ZendeskIdColumn('ticket_id')
  ticketId!: number;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  analyzer!: 'claude' | 'local';

  @Column({ type: 'varchar', length: 100 })
  model!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: AnalysisStatus;

  @Column({ type: 'text' })
  reason!: string;

  /** The ticket's content hash this analysis saw. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @Column({ name: 'input_tokens', type: 'integer', default: 0 })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'integer', default: 0 })
  outputTokens!: number;

  @Column({ name: 'cache_write_tokens', type: 'integer', default: 0 })
  cacheWriteTokens!: number;

  @Column({ name: 'cache_read_tokens', type: 'integer', default: 0 })
  cacheReadTokens!: number;

  /** USD at list price from the configured price table; null when the model is not in the table. */
  @DecimalColumn('cost_usd', 14, 8)
  costUsd!: number | null;

  /** 0–1: how frustrated the customer reads (Claude's answer, else the local lexicon scorer); null before issue 18. */
  @Column({ type: 'real', nullable: true })
  frustration!: number | null;

  @Column({ type: 'integer', default: 0 })
  calls!: number;

  @Column({ name: 'batch_id', type: 'varchar', length: 100, nullable: true })
  batchId!: string | null;
}
