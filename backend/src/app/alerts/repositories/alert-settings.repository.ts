import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StoredAlertSettings } from '../alert.types';

interface SettingsRow {
  value: StoredAlertSettings;
}

/** The one row of `alert_settings`. */
@Injectable()
export class AlertSettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(manager: EntityManager = this.dataSource.manager): Promise<StoredAlertSettings> {
    const rows: SettingsRow[] = await manager.query(`SELECT value FROM alert_settings WHERE id = 1`);
    return rows[0]?.value ?? {};
  }

  /** Reads the row locked for update (two admins saving at once apply one after the other). */
  async readForUpdate(tx: EntityManager): Promise<StoredAlertSettings> {
    await tx.query(`INSERT INTO alert_settings (id, value) VALUES (1, '{}') ON CONFLICT (id) DO NOTHING`);
    const rows: SettingsRow[] = await tx.query(`SELECT value FROM alert_settings WHERE id = 1 FOR UPDATE`);
    return rows[0]?.value ?? {};
  }

  async write(tx: EntityManager, value: StoredAlertSettings, actorId: string): Promise<void> {
    await tx.query(`UPDATE alert_settings SET value = $1::jsonb, updated_at = now(), updated_by = $2 WHERE id = 1`, [
      JSON.stringify(value),
      actorId,
    ]);
  }
}
