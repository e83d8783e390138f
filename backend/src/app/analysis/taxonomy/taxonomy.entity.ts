import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EditedRow } from '@app/database/columns';
import type { TaxonomyData } from './taxonomy.types';

/** The one taxonomy of the installation (id 1), with its version. */
@Entity({ name: 'taxonomy' })
export class TaxonomyRecord extends EditedRow {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'jsonb' })
  data!: TaxonomyData;

  @Column({ type: 'integer' })
  version!: number;
}
