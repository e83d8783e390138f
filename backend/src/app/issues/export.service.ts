import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLUSTER_COLUMNS, clusterOf } from './cluster-mappers';
import { ClustersQueryService } from './clusters-query.service';
import { CSV_BOM, csvRow } from './csv';
import { ExportClustersQuery } from './dto/list-clusters.query';
import { ExportIssuesQuery } from './dto/list-issues.query';
import { IssuesQueryService } from './issues-query.service';

const PAGE = 2000;

/** Where the CSV goes: resolves when the chunk is accepted (back-pressure of the HTTP response). */
export type CsvSink = (chunk: string) => Promise<void>;

/**
 * CSV exports with the lists' filters, streamed page by page (keyset pagination: constant memory, no deep OFFSET).
 * Issues come newest ticket first; clusters oldest first. Cluster names are included with the issues.
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issues: IssuesQueryService,
    private readonly clusters: ClustersQueryService,
  ) {}

  private running = 0;

  /** Exports being written right now: one whose client went away ends within a page (issue 13). */
  get inProgress(): number {
    return this.running;
  }

  issuesCsv(query: ExportIssuesQuery, write: CsvSink): Promise<number> {
    return this.tracked(() => this.writeIssues(query, write));
  }

  clustersCsv(query: ExportClustersQuery, write: CsvSink): Promise<number> {
    return this.tracked(() => this.writeClusters(query, write));
  }

  private async tracked(work: () => Promise<number>): Promise<number> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }

  private async writeIssues(query: ExportIssuesQuery, write: CsvSink): Promise<number> {
    await write(
      CSV_BOM +
        csvRow([
          'issue_id',
          'ticket_id',
          'ticket_subject',
          'ticket_created_at',
          'organization',
          'category',
          'subcategory',
          'issue_type',
          'severity',
          'summary',
          'detail',
          'quote',
          'confidence',
          'cluster_id',
          'cluster_name',
          'zendesk_url',
        ]),
    );
    const { where, params } = this.issues.filter(query);
    let cursor: { at: Date; id: string } | null = null;
    let total = 0;
    for (;;) {
      const p = [...params];
      let keyset = '';
      if (cursor) {
        p.push(cursor.at, cursor.id);
        keyset = `AND (i.ticket_created_at, i.id) < ($${p.length - 1}, $${p.length})`;
      }
      const rows: Array<Record<string, any>> = await this.dataSource.query(
        `SELECT i.id, i.ticket_id, i.category, i.subcategory, i.issue_type, i.severity, i.summary, i.detail, i.quote,
                i.confidence, i.ticket_created_at, i.cluster_id, c.name AS cluster_name, t.subject, t.original_id, o.name AS org
           FROM issues i
           JOIN tickets t ON t.zendesk_id = i.ticket_id
           LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
           LEFT JOIN clusters c ON c.id = i.cluster_id
          WHERE ${where} ${keyset}
          ORDER BY i.ticket_created_at DESC, i.id DESC LIMIT ${PAGE}`,
        p,
      );
      if (!rows.length) break;
      let chunk = '';
      for (const r of rows) {
        const i = this.issues.toResponse(r);
        chunk += csvRow([
          i.id,
          // The file's own id for a ticket imported under another tool's key: the id people know it by.
          i.ticketOriginalId ?? i.ticketId,
          i.ticketSubject,
          i.ticketCreatedAt,
          i.organizationName,
          i.category,
          i.subcategory,
          i.issueType,
          i.severity,
          i.summary,
          i.detail,
          i.quote,
          i.confidence,
          i.clusterId,
          i.clusterName,
          i.zendeskUrl,
        ]);
      }
      await write(chunk);
      total += rows.length;
      const last = rows[rows.length - 1]!;
      cursor = { at: new Date(last['ticket_created_at']), id: last['id'] };
      if (rows.length < PAGE) break;
    }
    return total;
  }

  private async writeClusters(query: ExportClustersQuery, write: CsvSink): Promise<number> {
    await write(
      CSV_BOM +
        csvRow([
          'cluster_id',
          'name',
          'category',
          'subcategory',
          'summary',
          'issue_count',
          'ticket_count',
          'unique_customers',
          'first_seen',
          'last_seen',
          'count_7d',
          'count_prior_7d',
          'trend_pct',
          'emerging',
          'severity_max',
          'pm_status',
          'owner',
          'external_url',
          'pm_notes',
          'active',
          'merged_into',
        ]),
    );
    const { where, params } = this.clusters.filter(query);
    let after = 0;
    let total = 0;
    for (;;) {
      const rows: Array<Record<string, any>> = await this.dataSource.query(
        `SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE ${where} AND c.seq > $${params.length + 1}
          ORDER BY c.seq LIMIT ${PAGE}`,
        [...params, after],
      );
      if (!rows.length) break;
      let chunk = '';
      for (const r of rows) {
        const c = clusterOf(r);
        chunk += csvRow([
          c.id,
          c.name,
          c.category,
          c.subcategory,
          c.summary,
          c.issueCount,
          c.ticketCount,
          c.uniqueCustomers,
          c.firstSeen,
          c.lastSeen,
          c.count7d,
          c.countPrior7d,
          c.trendPct,
          c.emerging,
          c.severityMax,
          c.pmStatus,
          c.owner,
          c.externalUrl,
          c.pmNotes,
          c.active,
          c.mergedInto,
        ]);
      }
      await write(chunk);
      total += rows.length;
      after = Number(rows[rows.length - 1]!['seq']);
      if (rows.length < PAGE) break;
    }
    return total;
  }
}
