import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn } from '@app/common/columns';

const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** The cost ledger: one row per billed Anthropic call (realtime message or succeeded batch request). */
@Entity({ name: 'analysis_usage' })
export class AnalysisUsage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ name: 'ticket_id', type: 'bigint', nullable: true, transformer: bigintColumn })
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

  @Column({ name: 'cost_usd', type: 'numeric', precision: 14, scale: 8, nullable: true, transformer: numeric })
  costUsd!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
