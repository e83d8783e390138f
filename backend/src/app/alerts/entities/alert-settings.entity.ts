import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EditedRow } from '@app/database/columns';
import type { StoredAlertSettings } from '../alert.types';

/** The alert settings (one row): overrides of the defaults and the environment, secrets sealed. */
@Entity({ name: 'alert_settings' })
export class AlertSettingsRow extends EditedRow {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id!: number;

  @Column({ type: 'jsonb', default: '{}' })
  value!: StoredAlertSettings;
}
