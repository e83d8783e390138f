import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StoredAlertSettings } from '../alert.types';

/** The alert settings (one row): overrides of the defaults and the environment, secrets sealed. */
@Entity({ name: 'alert_settings' })
export class AlertSettingsRow {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id!: number;

  @Column({ type: 'jsonb', default: '{}' })
  value!: StoredAlertSettings;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
