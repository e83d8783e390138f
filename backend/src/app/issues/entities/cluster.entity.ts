import { Column, Entity } from 'typeorm';
import { DecimalColumn, EditableUuidRow, numberColumn, TimestampColumn } from '@app/database/columns';

export const PM_STATUSES = ['new', 'reviewing', 'acknowledged', 'in_progress', 'fixed', 'wont_fix'] as const;
export type PmStatus = (typeof PM_STATUSES)[number];

/** Fields a PM edit locks against automatic changes (a later run never renames a PM-named cluster). */
export type LockedField = 'name' | 'membership';

/** Issues from many tickets that are the same underlying problem. What PMs triage. */
@Entity({ name: 'clusters' })
export class Cluster extends EditableUuidRow {
  /** Creation order (merge ties keep the older cluster). */
  @Column({ type: 'bigint', insert: false, update: false, transformer: numberColumn })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  /** The most common subcategory of its issues. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  subcategory!: string | null;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'text', default: '' })
  summary!: string;

  @Column({ type: 'text', array: true, default: '{}' })
  keyphrases!: string[];

  @Column({ name: 'named_by', type: 'varchar', length: 16, default: 'keyphrases' })
  namedBy!: 'keyphrases' | 'claude' | 'pm';

  /** Issue count when the name was last computed (renamed when the cluster has grown a lot since). */
  @Column({ name: 'named_at_count', type: 'integer', default: 0 })
  namedAtCount!: number;

  @Column({ name: 'issue_count', type: 'integer', default: 0 })
  issueCount!: number;

  @Column({ name: 'ticket_count', type: 'integer', default: 0 })
  ticketCount!: number;

  /** Distinct organizations (requesters where a ticket has none). */
  @Column({ name: 'unique_customers', type: 'integer', default: 0 })
  uniqueCustomers!: number;

  /** Ticket creation time of its oldest / newest issue. */
  @TimestampColumn('first_seen', { nullable: true })
  firstSeen!: Date | null;

  @TimestampColumn('last_seen', { nullable: true })
  lastSeen!: Date | null;

  @Column({ name: 'count_7d', type: 'integer', default: 0 })
  count7d!: number;

  @Column({ name: 'count_prior_7d', type: 'integer', default: 0 })
  countPrior7d!: number;

  /** Growth of the last 7 days over the 7 before, in percent; null when the prior week had none. */
  @DecimalColumn('trend_pct', 16, 1)
  trendPct!: number | null;

  @Column({ type: 'boolean', default: false })
  emerging!: boolean;

  @Column({ name: 'severity_max', type: 'varchar', length: 16, nullable: true })
  severityMax!: string | null;

  /** Has issues and was not merged into another cluster. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'pm_status', type: 'varchar', length: 16, default: 'new' })
  pmStatus!: PmStatus;

  @Column({ name: 'pm_notes', type: 'text', default: '' })
  pmNotes!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  owner!: string | null;

  @Column({ name: 'external_url', type: 'varchar', length: 2000, nullable: true })
  externalUrl!: string | null;

  @Column({ name: 'locked_fields', type: 'text', array: true, default: '{}' })
  lockedFields!: LockedField[];

  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto!: string | null;

  /** The engine's centroid sum ([termId, weight] of the persisted TextModel). */
  @Column({ type: 'jsonb', default: '[]', select: false })
  centroid!: Array<[number, number]>;

  /** How many issue vectors the centroid sums. */
  @Column({ name: 'centroid_count', type: 'integer', default: 0 })
  centroidCount!: number;

  @TimestampColumn('stats_at', { nullable: true })
  statsAt!: Date | null;
}
