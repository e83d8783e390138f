import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '../../common/columns';
import type { TicketSource } from './ticket.entity';

@Entity({ name: 'zendesk_organizations' })
export class ZendeskOrganization {
  @PrimaryColumn({ type: 'bigint', transformer: bigintColumn })
  id!: number;

  @Column({ type: 'varchar', length: 500, default: '' })
  name!: string;

  @Column({ name: 'domain_names', type: 'text', array: true, default: '{}' })
  domainNames!: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  tags!: string[];

  /** Custom organization fields (`organization_fields`: plan, region, ...), as Zendesk sends them. */
  @Column({ name: 'organization_fields', type: 'jsonb', default: () => "'{}'" })
  organizationFields!: Record<string, unknown>;

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
