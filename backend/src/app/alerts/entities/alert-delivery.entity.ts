import { Column, Entity } from 'typeorm';
import { SerialRow, TimestampColumn, UpdatedAtColumn } from '@app/database/columns';
import type { AlertChannel, DeliveryStatus } from '../alert.types';

/** One alert sent (or being sent, or failed) on one channel. */
@Entity({ name: 'alert_deliveries' })
export class AlertDelivery extends SerialRow {
  @Column({ name: 'alert_id', type: 'uuid' })
  alertId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: AlertChannel;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The last failure's message (never a URL or secret). */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** A pending delivery (rate-limited or to retry) is sent from then on. */
  @TimestampColumn('next_attempt_at')
  nextAttemptAt!: Date;

  /** When a process took it (a `sending` delivery claimed long ago is taken again). */
  @TimestampColumn('claimed_at', { nullable: true })
  claimedAt!: Date | null;

  @TimestampColumn('sent_at', { nullable: true })
  sentAt!: Date | null;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
