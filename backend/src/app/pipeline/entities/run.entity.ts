import { Column, Entity } from 'typeorm';
import { TimestampColumn, UuidRow } from '@app/database/columns';

export type RunKind = 'sync' | 'import' | 'analyze';
export type RunTrigger = 'schedule' | 'manual' | 'import' | 'demo' | 'resume' | 'reanalyze';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type RunPhase = 'queued' | 'sync' | 'import' | 'analyze' | 'cluster' | 'done';

export interface RunStats {
  ticketsFetched?: number;
  ticketsChanged?: number;
  ticketsUnchanged?: number;
  ticketsDeleted?: number;
  commentsFetched?: number;
  usersSynced?: number;
  organizationsSynced?: number;
  rowsImported?: number;
  rowsRejected?: number;
  /** Import rows not written because Zendesk owns the ticket (synced, or deleted there). */
  rowsSkipped?: number;
  /** Synced users an import named with other values (kept as Zendesk has them). */
  usersKept?: number;
  zendeskRequests?: number;
  rateLimited?: number;
  retries?: number;
  /** How ticket threads were fetched: in bulk from the event export, or per ticket. */
  threadStrategy?: 'events' | 'per_ticket' | null;
  /** With Redis: the worker ("host:pid") that coordinated the analyze phase, its chunks, and chunks done per worker. */
  coordinator?: string;
  analysisChunks?: number;
  workers?: Record<string, number>;
}

export interface RunError {
  at: string;
  message: string;
  /** e.g. a ticket id or an import line number */
  ref?: string;
}

export interface RunParams {
  backfillDays?: number;
  /** Import: the stored upload (`import_uploads.id`) it reads, removed when the import ends. */
  upload?: string;
  /** Import of a file every process has at this path (the bundled demo data). */
  file?: string;
  /** Import: the file's original name. */
  fileName?: string;
  format?: string;
}

@Entity({ name: 'runs' })
export class Run extends UuidRow {
  @Column({ type: 'varchar', length: 16 })
  kind!: RunKind;

  @Column({ type: 'varchar', length: 16 })
  trigger!: RunTrigger;

  @Column({ type: 'varchar', length: 16 })
  status!: RunStatus;

  @Column({ type: 'varchar', length: 16 })
  phase!: RunPhase;

  @Column({ type: 'integer', default: 0 })
  done!: number;

  @Column({ type: 'integer', nullable: true })
  total!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params!: RunParams;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  stats!: RunStats;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors!: RunError[];

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'schedule_key', type: 'varchar', length: 64, nullable: true })
  scheduleKey!: string | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @TimestampColumn('started_at', { nullable: true })
  startedAt!: Date | null;

  @TimestampColumn('finished_at', { nullable: true })
  finishedAt!: Date | null;

  /** Last seen alive: renewed by its owner's lease timer and by every progress report. */
  @TimestampColumn('heartbeat_at', { nullable: true })
  heartbeatAt!: Date | null;

  /** The process ("host:pid:boot") executing the run, or the last one that did. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  owner!: string | null;

  /** The current execution's claim; null while the run waits for a job (new, or resumed). */
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  /** Executions started (claims); above RUN_MAX_ATTEMPTS the run is failed instead of resumed. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Until when the owner holds the run (or, unclaimed, until when its job is given to start). */
  @TimestampColumn('lease_until', { nullable: true })
  leaseUntil!: Date | null;
}
