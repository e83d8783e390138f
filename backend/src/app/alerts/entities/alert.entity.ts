import { Column, Entity } from 'typeorm';
import { TimestampColumn, UuidRow } from '@app/database/columns';
import type { AlertKind } from '../alert.types';

/** One alert on a cluster: open (`clearedAt` null) while its condition holds; at most one open per cluster and kind. */
@Entity({ name: 'alerts' })
export class Alert extends UuidRow {
  @Column({ type: 'varchar', length: 16 })
  kind!: AlertKind;

  @Column({ name: 'cluster_id', type: 'uuid' })
  clusterId!: string;

  /** The run at whose end it was raised. */
  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  /**
   * Set on an emerging alert of a sibling cluster raised with another in one evaluation (a merge proposal between
   * them): kept open for deduplication per cluster, neither delivered nor listed; the alert it names is.
   */
  @Column({ name: 'grouped_into', type: 'uuid', nullable: true })
  groupedInto!: string | null;

  /** What triggered it: counts, baseline, z, fix date… */
  @Column({ type: 'jsonb', default: '{}' })
  trigger!: Record<string, unknown>;

  /** When its condition stopped holding (a new alert of the kind may then be raised). */
  @TimestampColumn('cleared_at', { nullable: true })
  clearedAt!: Date | null;
}
