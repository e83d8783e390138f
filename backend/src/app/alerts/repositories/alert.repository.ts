import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AlertChannel, AlertKind, DeliveryStatus } from '../alert.types';

export interface OpenAlertRow {
  id: string;
  kind: AlertKind;
  clusterId: string;
}

export interface AlertRow {
  id: string;
  kind: AlertKind;
  clusterId: string;
  clusterName: string;
  trigger: Record<string, unknown>;
  createdAt: Date;
  clearedAt: Date | null;
}

export interface DeliverySummaryRow {
  channel: AlertChannel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
}

export interface ListedAlertRow extends AlertRow {
  deliveries: DeliverySummaryRow[];
}

interface RawAlert {
  id: string;
  kind: AlertKind;
  cluster_id: string;
  cluster_name: string;
  trigger: Record<string, unknown>;
  created_at: Date;
  cleared_at: Date | null;
}

const toAlert = (r: RawAlert): AlertRow => ({
  id: r.id,
  kind: r.kind,
  clusterId: r.cluster_id,
  clusterName: r.cluster_name,
  trigger: r.trigger,
  createdAt: r.created_at,
  clearedAt: r.cleared_at,
});

/** The `alerts` table. */
@Injectable()
export class AlertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async open(): Promise<OpenAlertRow[]> {
    const rows: Array<{ id: string; kind: AlertKind; cluster_id: string }> = await this.dataSource.query(
      `SELECT id, kind, cluster_id FROM alerts WHERE cleared_at IS NULL`,
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, clusterId: r.cluster_id }));
  }

  /** Marks alerts whose condition stopped holding as cleared. */
  async clear(ids: string[]): Promise<void> {
    if (ids.length)
      await this.dataSource.query(
        `UPDATE alerts SET cleared_at = now() WHERE id = ANY($1::uuid[]) AND cleared_at IS NULL`,
        [ids],
      );
  }

  /**
   * Raises an alert unless one is open for the cluster and kind (the partial unique index decides between two
   * workers); its id, or undefined when it was already open. `groupedInto`: a sibling cluster's alert, kept for
   * deduplication under the alert that is delivered and listed.
   */
  async raise(
    kind: AlertKind,
    clusterId: string,
    trigger: object,
    runId: string | null,
    groupedInto: string | null = null,
  ): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO alerts (kind, cluster_id, trigger, run_id, grouped_into)
       SELECT $1, $2, $3::jsonb, $4, $5 WHERE EXISTS (SELECT 1 FROM clusters WHERE id = $2)
       ON CONFLICT (cluster_id, kind) WHERE cleared_at IS NULL DO NOTHING
       RETURNING id`,
      [kind, clusterId, JSON.stringify(trigger), runId, groupedInto],
    );
    return rows[0]?.id;
  }

  async byIds(ids: string[]): Promise<AlertRow[]> {
    if (!ids.length) return [];
    const rows: RawAlert[] = await this.dataSource.query(
      `SELECT a.id, a.kind, a.cluster_id, c.name AS cluster_name, a.trigger, a.created_at, a.cleared_at
         FROM alerts a JOIN clusters c ON c.id = a.cluster_id WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toAlert);
  }

  /** A page of alerts, newest first, each with its deliveries (a sibling cluster's grouped alert is not listed). */
  async list(skip: number, take: number, kinds?: AlertKind[]): Promise<{ rows: ListedAlertRow[]; total: number }> {
    const where = `WHERE a.grouped_into IS NULL${kinds?.length ? ' AND a.kind = ANY($3::text[])' : ''}`;
    const params: unknown[] = [take, skip, ...(kinds?.length ? [kinds] : [])];
    const rows: Array<RawAlert & { deliveries: Array<Record<string, unknown>> }> = await this.dataSource.query(
      `SELECT a.id, a.kind, a.cluster_id, c.name AS cluster_name, a.trigger, a.created_at, a.cleared_at,
              COALESCE((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status,
                                 'attempts', d.attempts, 'lastError', d.last_error) ORDER BY d.channel)
                          FROM alert_deliveries d WHERE d.alert_id = a.id), '[]'::json) AS deliveries
         FROM alerts a JOIN clusters c ON c.id = a.cluster_id
         ${where}
        ORDER BY a.created_at DESC, a.id DESC LIMIT $1 OFFSET $2`,
      params,
    );
    const totals: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM alerts a
        WHERE a.grouped_into IS NULL ${kinds?.length ? 'AND a.kind = ANY($1::text[])' : ''}`,
      kinds?.length ? [kinds] : [],
    );
    return {
      rows: rows.map((r) => ({
        ...toAlert(r),
        deliveries: r.deliveries.map((d) => ({
          channel: d['channel'] as AlertChannel,
          status: d['status'] as DeliveryStatus,
          attempts: Number(d['attempts']),
          lastError: (d['lastError'] as string | null) ?? null,
        })),
      })),
      total: Number(totals[0]?.n ?? 0),
    };
  }

  /** Alerts raised in the last `days` days (the console's badge). */
  async countSince(days: number): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM alerts
        WHERE grouped_into IS NULL AND created_at >= now() - make_interval(days => $1)`,
      [days],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
