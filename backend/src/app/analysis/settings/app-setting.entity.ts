import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EditedRow } from '@app/database/columns';

/** One run-time setting (table `app_setting`): a JSON value under a key, overriding an environment default. */
@Entity({ name: 'app_setting' })
export class AppSetting extends EditedRow {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;
}
