import { ApiProperty } from '@nestjs/swagger';
import {
  ALERT_CHANNELS,
  ALERT_KINDS,
  type AlertChannel,
  type AlertKind,
  DELIVERY_STATUSES,
  type DeliveryStatus,
} from '../alert.types';
import type { ListedAlertRow } from '../repositories/alert.repository';
import { pick } from '@app/common/pick';

export class AlertDeliveryResponse {
  @ApiProperty({ enum: ALERT_CHANNELS, enumName: 'AlertChannel' })
  channel!: AlertChannel;
  /** `pending` (due, or waiting for a retry or the channel's rate limit), `sending`, `sent` or `failed`. */
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'AlertDeliveryStatus' })
  status!: DeliveryStatus;
  /** Tries so far. */
  attempts!: number;
  /** The last failure (a status or network error; never an address or secret). */
  lastError!: string | null;
}

export class AlertResponse {
  id!: string;
  @ApiProperty({ enum: ALERT_KINDS, enumName: 'AlertKind' })
  kind!: AlertKind;
  clusterId!: string;
  clusterName!: string;
  createdAt!: Date;
  /** When its condition stopped holding; null while it holds. */
  clearedAt!: Date | null;
  /** What triggered it: counts, baseline median and MAD, z, fix date… */
  @ApiProperty({ type: 'object', additionalProperties: true })
  trigger!: Record<string, unknown>;
  deliveries!: AlertDeliveryResponse[];

  static from(row: ListedAlertRow): AlertResponse {
    return Object.assign(new AlertResponse(), {
      ...pick(row, ['id', 'kind', 'clusterId', 'clusterName', 'createdAt', 'clearedAt', 'trigger']),
      deliveries: row.deliveries.map((d) => Object.assign(new AlertDeliveryResponse(), d)),
    });
  }
}

export class AlertPageResponse {
  items!: AlertResponse[];
  total!: number;
  page!: number;
  perPage!: number;
}

export class AlertsSummaryResponse {
  /** Alerts raised in the last 7 days. */
  last7d!: number;
}
