import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One run-time setting (table `app_setting`): a JSON value under a key, overriding an environment default. */
@Entity({ name: 'app_setting' })
export class AppSetting {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
