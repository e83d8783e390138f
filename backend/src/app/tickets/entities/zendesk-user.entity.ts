import { Column, Entity } from 'typeorm';
import { ZendeskIdColumn } from '@app/database/columns';
import { ZendeskRecord } from './zendesk-record';

@Entity({ name: 'zendesk_users' })
export class ZendeskUser extends ZendeskRecord {
  @Column({ type: 'varchar', length: 500, default: '' })
  name!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'end-user' })
  role!: string;

  @ZendeskIdColumn('organization_id', { nullable: true })
  organizationId!: number | null;
}
