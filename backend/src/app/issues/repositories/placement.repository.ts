import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Where a ticket's issue (by fingerprint) was placed: followed through merges to the cluster standing now. */
export interface Placement {
  fingerprint: string;
  category: string;
  clusterId: string;
  pinned: boolean;
}

/** An issue's placement to remember (or pin). */
export interface PlacementKey {
  ticketId: number;
  fingerprint: string;
  category: string;
}

/**
 * `issue_placements`: the memory of where each ticket's issue went (by the ticket and the fingerprint), so
 * re-analysis, which replaces issue rows, puts them back. A PM's placement is pinned: runs never overwrite it.
 */
@Injectable()
export class PlacementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The tickets' placements, by ticket, each followed through merges (at most 50 hops). */
  async ofTickets(ticketIds: number[], m: EntityManager = this.dataSource.manager): Promise<Map<number, Placement[]>> {
    const out = new Map<number, Placement[]>();
    if (!ticketIds.length) return out;
    const rows: Array<{ ticket_id: string; fingerprint: string; category: string; pinned: boolean; target: string }> =
      await m.query(
        `WITH RECURSIVE p AS (
           SELECT ip.ticket_id, ip.fingerprint, ip.category, ip.pinned, ip.cluster_id AS target, 0 AS hops
             FROM issue_placements ip WHERE ip.ticket_id = ANY($1::bigint[])
           UNION ALL
           SELECT p.ticket_id, p.fingerprint, p.category, p.pinned, c.merged_into, p.hops + 1
             FROM p JOIN clusters c ON c.id = p.target WHERE c.merged_into IS NOT NULL AND p.hops < 50)
         SELECT DISTINCT ON (ticket_id, fingerprint) ticket_id, fingerprint, category, pinned, target
           FROM p ORDER BY ticket_id, fingerprint, hops DESC`,
        [ticketIds],
      );
    for (const r of rows) {
      const id = Number(r.ticket_id);
      const list = out.get(id) ?? [];
      list.push({ fingerprint: r.fingerprint, category: r.category, clusterId: r.target, pinned: r.pinned });
      out.set(id, list);
    }
    return out;
  }

  /** Where a run put the issues (`clusterIds[k]` for `keys[k]`); a PM's pin stays a pin. */
  async remember(keys: PlacementKey[], clusterIds: string[], tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO issue_placements (ticket_id, fingerprint, category, cluster_id, pinned)
       SELECT DISTINCT ON (x.ticket_id, x.fp) x.ticket_id, x.fp, x.category, x.cluster_id, false
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::uuid[]) AS x(ticket_id, fp, category, cluster_id)
       ON CONFLICT (ticket_id, fingerprint) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, updated_at = now()
        WHERE NOT issue_placements.pinned`,
      [keys.map((k) => k.ticketId), keys.map((k) => k.fingerprint), keys.map((k) => k.category), clusterIds],
    );
  }

  /** A PM placed the issues in the cluster: pinned there. */
  async pin(keys: PlacementKey[], clusterId: string, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO issue_placements (ticket_id, fingerprint, category, cluster_id, pinned)
       SELECT DISTINCT ON (x.ticket_id, x.fp) x.ticket_id, x.fp, x.category, $4::uuid, true
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(ticket_id, fp, category)
       ON CONFLICT (ticket_id, fingerprint) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, pinned = true, updated_at = now()`,
      [keys.map((k) => k.ticketId), keys.map((k) => k.fingerprint), keys.map((k) => k.category), clusterId],
    );
  }
}
