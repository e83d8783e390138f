import { Column, Entity } from 'typeorm';
import { ZendeskRecord } from './zendesk-record';

@Entity({ name: 'zendesk_organizations' })
export class ZendeskOrganization extends ZendeskRecord {
  @Column({ type: 'varchar', length: 500, default: '' })
  name!: string;

  @Column({ name: 'domain_names', type: 'text', array: true, default: '{}' })
  domainNames!: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  tags!: string[];

  /** Custom organization fields (`organization_fields`: plan, region, ...), as Zendesk sends them. */
  @Column({ name: 'organization_fields', type: 'jsonb', default: () => "'{}'" })
  organizationFields!: Record<string, unknown>;
}
