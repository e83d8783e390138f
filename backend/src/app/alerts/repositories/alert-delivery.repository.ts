import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AlertChannel } from '../alert.types';

export interface ClaimedDeliveryRow {
  id: string;
  alertId: string;
  channel: AlertChannel;
  attempts: number;
}

/** A `sending` delivery whose process went away is taken again after this long. */
const STALE_CLAIM = `interval '15 minutes'`;

/** The `alert_deliveries` table: one row per alert and channel, claimed by one process at a time. */
@Injectable()
export class AlertDeliveryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(alertId: string, channels: AlertChannel[]): Promise<void> {
    if (!channels.length) return;
    await this.dataSource.query(
      `INSERT INTO alert_deliveries (alert_id, channel)
       SELECT $1, unnest($2::text[]) ON CONFLICT (alert_id, channel) DO NOTHING`,
      [alertId, channels],
    );
  }

  /** Takes up to `limit` due deliveries (pending and due, or claimed long ago) for this process. */
  async claimDue(limit: number): Promise<ClaimedDeliveryRow[]> {
    // TypeORM answers an UPDATE … RETURNING with `[rows, affected]`.
    const [rows]: [Array<{ id: string; alert_id: string; channel: AlertChannel; attempts: number }>, number] =
      await this.dataSource.query(
        `UPDATE alert_deliveries SET status = 'sending', claimed_at = now(), updated_at = now()
          WHERE id IN (SELECT id FROM alert_deliveries
                        WHERE (status = 'pending' AND next_attempt_at <= now())
                           OR (status = 'sending' AND claimed_at < now() - ${STALE_CLAIM})
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, alert_id, channel, attempts`,
        [limit],
      );
    return rows
      .map((r) => ({ id: String(r.id), alertId: r.alert_id, channel: r.channel, attempts: Number(r.attempts) }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** A try failed and another follows: the count and the error are visible meanwhile. */
  async recordFailedTry(id: string, attempts: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_deliveries SET attempts = $2, last_error = $3, updated_at = now() WHERE id = $1`,
      [id, attempts, error],
    );
  }

  async markSent(id: string, attempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_deliveries SET status = 'sent', attempts = $2, sent_at = now(), claimed_at = NULL, updated_at = now()
        WHERE id = $1`,
      [id, attempts],
    );
  }

  async markFailed(id: string, attempts: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_deliveries SET status = 'failed', attempts = $2, last_error = $3, claimed_at = NULL, updated_at = now()
        WHERE id = $1`,
      [id, attempts, error],
    );
  }

  /** Puts a delivery back to pending until `until` (rate limit, or a channel not configured right now). */
  async defer(id: string, until: Date, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_deliveries SET status = 'pending', next_attempt_at = $2, last_error = $3, claimed_at = NULL,
              updated_at = now() WHERE id = $1`,
      [id, until, reason],
    );
  }

  /** Deliveries the channel sent in the last hour (its rate limit). */
  async sentLastHour(channel: AlertChannel): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM alert_deliveries
        WHERE channel = $1 AND status = 'sent' AND sent_at > now() - interval '1 hour'`,
      [channel],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
