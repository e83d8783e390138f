import { Column, Entity } from 'typeorm';
import { DecimalColumn, SerialRow, ZendeskIdColumn } from '@app/database/columns';

/** The cost ledger: one row per billed Anthropic call (realtime message or succeeded batch request). */
@Entity({ name: 'analysis_usage' })
export class AnalysisUsage extends SerialRow {
  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @ZendeskIdColumn('ticket_id', { nullable: true })
  ticketId!: number | null;

  @Column({ type: 'varchar', length: 100 })
  model!: string;

  @Column({ type: 'boolean', default: false })
  batch!: boolean;

  @Column({ name: 'batch_id', type: 'varchar', length: 100, nullable: true })
  batchId!: string | null;

  @Column({ name: 'input_tokens', type: 'integer' })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'integer' })
  outputTokens!: number;

  @Column({ name: 'cache_write_5m_tokens', type: 'integer' })
  cacheWrite5mTokens!: number;

  @Column({ name: 'cache_write_1h_tokens', type: 'integer' })
  cacheWrite1hTokens!: number;

  @Column({ name: 'cache_read_tokens', type: 'integer' })
  cacheReadTokens!: number;

  @DecimalColumn('cost_usd', 14, 8)
  costUsd!: number | null;
}
