import { Column, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '@app/common/columns';
import type { TicketSource } from './ticket.entity';

/** What a Zendesk user and organization row both hold besides their own fields: the id, times and writer. */
export abstract class ZendeskRecord {
  @PrimaryColumn({ type: 'bigint', transformer: bigintColumn })
  id!: number;

  @Column({ name: 'created_at', type: 'timestamptz', nullable: true })
  createdAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;

  /** Who wrote the row: the sync (`zendesk`) or an import (`import`, `demo`), which never overwrites the sync's. */
  @Column({ type: 'varchar', length: 16, default: 'zendesk' })
  source!: TicketSource;

  @Column({ name: 'synced_at', type: 'timestamptz', default: () => 'now()' })
  syncedAt!: Date;
}
