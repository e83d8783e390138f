import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The export cursor's saved state: where the export continues, and which run saved it. */
export interface CursorState {
  cursor?: string;
  runId?: string;
  savedAt?: string;
}

/** sync_state: the sync's small persistent key/value state (the export cursor). */
@Injectable()
export class SyncStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The value saved under `key`, if any. */
  async get<T>(key: string): Promise<T | undefined> {
    const [row]: { value: T }[] = await this.dataSource.query(`SELECT value FROM sync_state WHERE key = $1`, [key]);
    return row?.value;
  }

  /** Saves `value` under `key`, replacing what was there. */
  async save(key: string, value: unknown): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [key, JSON.stringify(value)],
    );
  }
}
