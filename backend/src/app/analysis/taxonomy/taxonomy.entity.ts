import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TaxonomyData } from './taxonomy.types';

/** The one taxonomy of the installation (id 1), with its version. */
@Entity({ name: 'taxonomy' })
export class TaxonomyRecord {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'jsonb' })
  data!: TaxonomyData;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
