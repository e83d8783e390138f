import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import { bigintColumn, TimestampColumn, ZendeskIdColumn } from '@app/database/columns';
import { TicketComment } from './ticket-comment.entity';

export type TicketSource = 'zendesk' | 'import' | 'demo';

@Entity({ name: 'tickets' })
export class Ticket {
  @PrimaryColumn({ name: 'zendesk_id', type: 'bigint', transformer: bigintColumn })
  zendeskId!: number;

  /**
   * The id an imported file gave the ticket when it was not a Zendesk id (`TCK-1042`, a uuid); `zendeskId` is then
   * an internal id mapped from it (see `mappedTicketId`). null for Zendesk tickets.
   */
  @Column({ name: 'original_id', type: 'varchar', length: 128, nullable: true })
  originalId!: string | null;

  @Column({ type: 'text', default: '' })
  subject!: string;

  /** The first comment, as Zendesk keeps it. */
  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  priority!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  type!: string | null;

  @Column({ type: 'text', array: true, default: '{}' })
  tags!: string[];

  @ZendeskIdColumn('requester_id', { nullable: true })
  requesterId!: number | null;

  @ZendeskIdColumn('submitter_id', { nullable: true })
  submitterId!: number | null;

  @ZendeskIdColumn('assignee_id', { nullable: true })
  assigneeId!: number | null;

  @ZendeskIdColumn('organization_id', { nullable: true })
  organizationId!: number | null;

  @ZendeskIdColumn('group_id', { nullable: true })
  groupId!: number | null;

  @ZendeskIdColumn('brand_id', { nullable: true })
  brandId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  channel!: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb', default: () => "'[]'" })
  customFields!: { id: number; value: unknown }[];

  @Column({ type: 'varchar', length: 16, nullable: true })
  satisfaction!: string | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;

  @Column({ type: 'varchar', length: 16, default: 'zendesk' })
  source!: TicketSource;

  /** sha256 of the ticket's text (subject and every comment); changes only when the text does. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  /** The content hash the last analysis saw; differs from `contentHash` when the ticket needs analysis. */
  @Column({ name: 'analyzed_hash', type: 'char', length: 64, nullable: true })
  analyzedHash!: string | null;

  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount!: number;

  /** The export saw the ticket change: its thread must be fetched again (kept across crashes). */
  @Column({ name: 'thread_stale', type: 'boolean', default: false })
  threadStale!: boolean;

  /** The comment count Zendesk reported with the change, to check a thread assembled from events. */
  @Column({ name: 'expected_comments', type: 'integer', nullable: true })
  expectedComments!: number | null;

  /** Deleted in Zendesk: hidden everywhere, kept for history. */
  @TimestampColumn('deleted_at', { nullable: true })
  deletedAt!: Date | null;

  /** Merged into this ticket in Zendesk (closed by the merge): not a separate report of its problem. */
  @ZendeskIdColumn('merged_into_id', { nullable: true })
  mergedIntoId!: number | null;

  /** Permanently deleted in Zendesk (came back scrubbed): its text is purged, the row is a tombstone. */
  @TimestampColumn('scrubbed_at', { nullable: true })
  scrubbedAt!: Date | null;

  @TimestampColumn('synced_at', { default: () => 'now()' })
  syncedAt!: Date;

  @OneToMany(() => TicketComment, (comment) => comment.ticket)
  comments?: TicketComment[];
}
