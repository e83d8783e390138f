import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Run } from '../entities/run.entity';

export class RunStatsResponse {
  ticketsFetched?: number;
  ticketsChanged?: number;
  ticketsUnchanged?: number;
  ticketsDeleted?: number;
  commentsFetched?: number;
  usersSynced?: number;
  organizationsSynced?: number;
  rowsImported?: number;
  rowsRejected?: number;
  /** Import rows not written because Zendesk owns the ticket: synced from Zendesk, or deleted there. */
  rowsSkipped?: number;
  /** Synced users an import named with other values: kept as Zendesk has them. */
  usersKept?: number;
  /** HTTP requests sent to Zendesk by this run. */
  zendeskRequests?: number;
  /** 429 answers from Zendesk (each waited out as Retry-After said). */
  rateLimited?: number;
  retries?: number;
  /** How ticket threads were fetched: in bulk from the event export, or per ticket. */
  @ApiProperty({ enum: ['events', 'per_ticket'], nullable: true, required: false })
  threadStrategy?: 'events' | 'per_ticket' | null;
  /** With Redis: the worker (`host:pid`) that ran the run and split its analysis into chunks. */
  coordinator?: string;
  /** With Redis: chunks (of up to 200 tickets) the analysis was split into. */
  analysisChunks?: number;
  /** With Redis: analysis chunks done per worker (`host:pid` → chunks). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' } })
  workers?: Record<string, number>;
  /** Executions of this run started: more than 1 when it was resumed after the process running it stopped. */
  attempts?: number;
  /** The process (`host:pid:boot`) executing the run, or the last one that did. */
  owner?: string;
}

export class RunErrorResponse {
  at!: string;
  message!: string;
  ref?: string;
}

export class RunResponse {
  id!: string;
  @ApiProperty({ enum: ['sync', 'import', 'analyze'] })
  kind!: string;
  @ApiProperty({ enum: ['schedule', 'manual', 'import', 'demo', 'resume', 'reanalyze'] })
  trigger!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'], enumName: 'RunStatus' })
  status!: string;
  @ApiProperty({ enum: ['queued', 'sync', 'import', 'analyze', 'cluster', 'done'], enumName: 'RunPhase' })
  phase!: string;
  /** Items done in the current phase. */
  done!: number;
  /** Items in the current phase, when known. */
  total!: number | null;
  backfillDays!: number | null;
  stats!: RunStatsResponse;
  /** Last errors recorded (at most 200), oldest first. */
  errors!: RunErrorResponse[];
  /** Why the run failed. */
  error!: string | null;
  createdAt!: Date;
  startedAt!: Date | null;
  finishedAt!: Date | null;
  /** Wall-clock milliseconds from start to finish (or to now while running). */
  durationMs!: number | null;

  static from(run: Run): RunResponse {
    const end = run.finishedAt ?? (run.status === 'running' ? new Date() : null);
    return Object.assign(new RunResponse(), {
      id: run.id,
      kind: run.kind,
      trigger: run.trigger,
      status: run.status,
      phase: run.phase,
      done: run.done,
      total: run.total,
      backfillDays: run.params.backfillDays ?? null,
      stats: {
        ...(run.stats ?? {}),
        ...(run.attempts ? { attempts: run.attempts } : {}),
        ...(run.owner ? { owner: run.owner } : {}),
      },
      errors: run.errors ?? [],
      error: run.error,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.startedAt && end ? end.getTime() - run.startedAt.getTime() : null,
    });
  }
}

export class RunPageResponse {
  items!: RunResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}

export class TriggerResponse {
  runId!: string;
}

export class ReanalyzeResponse {
  runId!: string;
  /** Tickets marked for analysis. */
  tickets!: number;
}

export class CurrentRunResponse {
  id!: string;
  phase!: string;
  done!: number;
  total!: number | null;
}

export class SyncTotalsResponse {
  /** Tickets stored (not deleted). */
  tickets!: number;
  deletedTickets!: number;
  comments!: number;
  organizations!: number;
}

export class SyncStatusResponse {
  @ApiProperty({ enum: ['idle', 'queued', 'running'] })
  state!: 'idle' | 'queued' | 'running';
  currentRun!: CurrentRunResponse | null;
  lastRun!: RunResponse | null;
  /** The next nightly run, or null when no schedule runs in this process or Zendesk is not configured. */
  nextScheduledAt!: Date | null;
  zendeskConfigured!: boolean;
  totals!: SyncTotalsResponse;
}
