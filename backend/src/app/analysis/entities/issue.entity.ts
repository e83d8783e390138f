import { Column, Entity } from 'typeorm';
import { TimestampColumn, UuidRow, ZendeskIdColumn } from '@app/database/columns';

/** One product problem one ticket reports. Re-analysis of the ticket replaces its issues. */
@Entity({ name: 'issues' })
export class Issue extends UuidRow {
  @ZendeskIdColumn('ticket_id')
  ticketId!: number;

  @Column({ name: 'analysis_id', type: 'uuid' })
  analysisId!: string;

  /** Stored as the taxonomy key at analysis time; renames keep it (the taxonomy lists aliases). */
  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @Column({ type: 'varchar', length: 64 })
  subcategory!: string;

  @Column({ name: 'issue_type', type: 'varchar', length: 32 })
  issueType!: string;

  @Column({ type: 'varchar', length: 16 })
  severity!: string;

  @Column({ type: 'varchar', length: 200 })
  summary!: string;

  @Column({ type: 'text', default: '' })
  detail!: string;

  /** Verbatim text of the ticket, or null when the analyzer's quote did not occur in it. */
  @Column({ type: 'text', nullable: true })
  quote!: string | null;

  @Column({ name: 'quote_verified', type: 'boolean', default: false })
  quoteVerified!: boolean;

  /** e.g. `quote_not_verbatim`, `quote_missing`. */
  @Column({ type: 'text', array: true, default: '{}' })
  flags!: string[];

  @Column({ type: 'real' })
  confidence!: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  platform!: string | null;

  @Column({ name: 'user_segment', type: 'varchar', length: 100, nullable: true })
  userSegment!: string | null;

  @Column({ name: 'has_workaround', type: 'boolean', nullable: true })
  hasWorkaround!: boolean | null;

  @Column({ name: 'business_impact', type: 'text', nullable: true })
  businessImpact!: string | null;

  /** The ticket's creation time: trends count by it. */
  @TimestampColumn('ticket_created_at')
  ticketCreatedAt!: Date;
}
