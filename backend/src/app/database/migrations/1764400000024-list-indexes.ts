import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists fast on every page without a cache (issue 15; plans before/after in bench/api/PLANS.md):
 *
 * - One index per issue-list sort, over visible issues only, ending in (ticket time, id) as the list's ORDER BY
 *   does, so a page (by OFFSET or by keyset cursor) is a walk of index entries. The time index INCLUDEs the filter
 *   columns: filters and the capped count are answered from the index (index-only scans), not the heap. They
 *   replace the single-column severity / type / confidence indexes, which only the list used.
 * - The cluster index of visible issues with the issue filters INCLUDEd: the issue list of a cluster, and the
 *   cluster list's "has an issue that…" filters, read it alone.
 * - The ticket list's two sorts (created, updated) ending in the id, over live tickets, with the filters INCLUDEd.
 * - The full-text indexes of issues and tickets over what lists show (visible issues, live tickets) only.
 * - `clusters.organization_ids` and `clusters.frustration`, kept with the other figures by every stats refresh:
 *   the cluster list's impact reads them instead of joining every issue of every listed cluster to its ticket
 *   and analysis (5 s for the first page of 47 clusters at 100k tickets).
 */
export class ListIndexes1764400000024 implements MigrationInterface {
  name = 'ListIndexes1764400000024';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX issues_list_created_idx ON issues (ticket_created_at, id)
         INCLUDE (severity, issue_type, category, subcategory, cluster_id) WHERE NOT hidden`,
    );
    await q.query(
      `CREATE INDEX issues_list_severity_idx ON issues
         ((CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END), ticket_created_at, id)
         INCLUDE (severity) WHERE NOT hidden`,
    );
    await q.query(`CREATE INDEX issues_list_confidence_idx ON issues (confidence, ticket_created_at, id) WHERE NOT hidden`);
    await q.query(`CREATE INDEX issues_list_category_idx ON issues (category, ticket_created_at, id) WHERE NOT hidden`);
    await q.query(
      `CREATE INDEX issues_list_cluster_idx ON issues (cluster_id, ticket_created_at, id)
         INCLUDE (severity, issue_type) WHERE NOT hidden`,
    );
    await q.query(`CREATE INDEX issues_list_search_idx ON issues USING gin (search) WHERE NOT hidden`);
    for (const index of ['issues_severity_idx', 'issues_type_idx', 'issues_confidence_idx', 'issues_search_idx'])
      await q.query(`DROP INDEX ${index}`);

    await q.query(
      `CREATE INDEX tickets_list_created_idx ON tickets (created_at, zendesk_id) INCLUDE (status, organization_id)
         WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX tickets_list_updated_idx ON tickets (updated_at, zendesk_id) INCLUDE (status, organization_id)
         WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX tickets_list_search_idx ON tickets USING gin (search) WHERE deleted_at IS NULL`);
    await q.query(`DROP INDEX tickets_created_idx`);
    await q.query(`DROP INDEX tickets_search_idx`);

    await q.query(`ALTER TABLE clusters ADD COLUMN organization_ids bigint[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE clusters ADD COLUMN frustration float8`);
    await q.query(`
      UPDATE clusters c SET
        organization_ids = coalesce((
          SELECT array_agg(DISTINCT t.organization_id ORDER BY t.organization_id) FROM issues i
            JOIN tickets t ON t.zendesk_id = i.ticket_id
           WHERE i.cluster_id = c.id AND NOT i.hidden AND t.deleted_at IS NULL AND t.organization_id IS NOT NULL), '{}'),
        frustration = (
          SELECT avg((SELECT ta.frustration FROM ticket_analyses ta WHERE ta.ticket_id = t.zendesk_id
                        AND ta.frustration IS NOT NULL ORDER BY ta.created_at DESC LIMIT 1))::float8
            FROM tickets t
           WHERE t.zendesk_id IN (SELECT i.ticket_id FROM issues i WHERE i.cluster_id = c.id AND NOT i.hidden)
             AND t.deleted_at IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clusters DROP COLUMN frustration`);
    await q.query(`ALTER TABLE clusters DROP COLUMN organization_ids`);
    await q.query(`CREATE INDEX tickets_search_idx ON tickets USING gin (search)`);
    await q.query(`CREATE INDEX tickets_created_idx ON tickets (created_at DESC) WHERE deleted_at IS NULL`);
    await q.query(`DROP INDEX tickets_list_search_idx`);
    await q.query(`DROP INDEX tickets_list_updated_idx`);
    await q.query(`DROP INDEX tickets_list_created_idx`);
    await q.query(`CREATE INDEX issues_confidence_idx ON issues (confidence DESC, ticket_created_at DESC)`);
    await q.query(`CREATE INDEX issues_type_idx ON issues (issue_type, ticket_created_at DESC)`);
    await q.query(`CREATE INDEX issues_severity_idx ON issues (severity, ticket_created_at DESC)`);
    await q.query(`CREATE INDEX issues_search_idx ON issues USING gin (search)`);
    for (const index of ['search', 'cluster', 'category', 'confidence', 'severity', 'created'])
      await q.query(`DROP INDEX issues_list_${index}_idx`);
  }
}
