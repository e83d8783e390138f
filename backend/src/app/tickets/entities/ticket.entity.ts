import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '@app/common/columns';
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

  @Column({ name: 'requester_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  requesterId!: number | null;

  @Column({ name: 'submitter_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  submitterId!: number | null;

  @Column({ name: 'assignee_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  assigneeId!: number | null;

  @Column({ name: 'organization_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  organizationId!: number | null;

  @Column({ name: 'group_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  groupId!: number | null;

  @Column({ name: 'brand_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  brandId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  channel!: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb', default: () => "'[]'" })
  customFields!: { id: number; value: unknown }[];

  @Column({ type: 'varchar', length: 16, nullable: true })
  satisfaction!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
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
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** Merged into this ticket in Zendesk (closed by the merge): not a separate report of its problem. */
  @Column({ name: 'merged_into_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  mergedIntoId!: number | null;

  /** Permanently deleted in Zendesk (came back scrubbed): its text is purged, the row is a tombstone. */
  @Column({ name: 'scrubbed_at', type: 'timestamptz', nullable: true })
  scrubbedAt!: Date | null;

  @Column({ name: 'synced_at', type: 'timestamptz', default: () => 'now()' })
  syncedAt!: Date;

  @OneToMany(() => TicketComment, (comment) => comment.ticket)
  comments?: TicketComment[];
}
