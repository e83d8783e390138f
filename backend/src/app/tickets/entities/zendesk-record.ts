import { Column, PrimaryColumn } from 'typeorm';
import { bigintColumn, TimestampColumn } from '@app/database/columns';
import type { TicketSource } from './ticket.entity';

/** What a Zendesk user and organization row both hold besides their own fields: the id, times and writer. */
export abstract class ZendeskRecord {
  @PrimaryColumn({ type: 'bigint', transformer: bigintColumn })
  id!: number;

  @TimestampColumn('created_at', { nullable: true })
  createdAt!: Date | null;

  @TimestampColumn('updated_at', { nullable: true })
  updatedAt!: Date | null;

  /** Who wrote the row: the sync (`zendesk`) or an import (`import`, `demo`), which never overwrites the sync's. */
  @Column({ type: 'varchar', length: 16, default: 'zendesk' })
  source!: TicketSource;

  @TimestampColumn('synced_at', { default: () => 'now()' })
  syncedAt!: Date;
}
