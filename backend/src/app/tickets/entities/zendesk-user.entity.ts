import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '../../common/columns';
import type { TicketSource } from './ticket.entity';

@Entity({ name: 'zendesk_users' })
export class ZendeskUser {
  @PrimaryColumn({ type: 'bigint', transformer: bigintColumn })
  id!: number;

  @Column({ type: 'varchar', length: 500, default: '' })
  name!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'end-user' })
  role!: string;

  @Column({ name: 'organization_id', type: 'bigint', nullable: true, transformer: bigintColumn })
  organizationId!: number | null;

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
