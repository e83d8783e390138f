import { Injectable } from '@nestjs/common';
import { clusterOf } from './cluster-mappers';
import { CSV_BOM, csvRow } from './csv';
import { ExportClustersQuery } from './dto/list-clusters.query';
import { ExportIssuesQuery } from './dto/list-issues.query';
import { IssuesQueryService } from './issues-query.service';
import { ClusterQueryRepository } from './repositories/cluster-query.repository';
import { IssueDetailRow, IssueQueryRepository } from './repositories/issue-query.repository';

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
    private readonly issueQueries: IssueQueryRepository,
    private readonly clusterQueries: ClusterQueryRepository,
    private readonly issues: IssuesQueryService,
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

  private writeIssues(query: ExportIssuesQuery, write: CsvSink): Promise<number> {
    const filter = this.issueQueries.filter(query);
    return writeCsv<IssueDetailRow, { at: Date; id: string } | null>(write, {
      header: [
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
      ],
      first: null,
      page: (after) => this.issueQueries.exportPage(filter, after, PAGE),
      next: (last) => ({ at: new Date(last.ticket_created_at), id: last.id }),
      cells: (r) => {
        const i = this.issues.toResponse(r);
        return [
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
        ];
      },
    });
  }

  private writeClusters(query: ExportClustersQuery, write: CsvSink): Promise<number> {
    const filter = this.clusterQueries.filter(query);
    return writeCsv(write, {
      header: [
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
        'affected_accounts',
        'arr_affected',
        'enterprise_share',
        'renewing_accounts',
        'frustration',
        'impact_score',
      ],
      first: 0,
      page: (after) => this.clusterQueries.exportPage(filter, after, PAGE),
      next: (last) => Number(last.seq),
      cells: (r) => {
        const c = clusterOf(r);
        return [
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
          c.affectedAccounts,
          c.arrAffected,
          c.enterpriseShare,
          c.renewingAccounts,
          c.frustration,
          c.impactScore,
        ];
      },
    });
  }
}

/** One export: its header, its pages after a keyset cursor (`first` before the first page), each row's cells. */
interface CsvExport<Row, Cursor> {
  header: readonly string[];
  first: Cursor;
  page: (after: Cursor) => Promise<Row[]>;
  next: (last: Row) => Cursor;
  cells: (row: Row) => unknown[];
}

/** Writes the header, then page after page (one chunk each) until a short page. Returns the rows written. */
async function writeCsv<Row, Cursor>(write: CsvSink, csv: CsvExport<Row, Cursor>): Promise<number> {
  await write(CSV_BOM + csvRow(csv.header));
  let cursor = csv.first;
  let total = 0;
  for (;;) {
    const rows = await csv.page(cursor);
    if (!rows.length) break;
    let chunk = '';
    for (const r of rows) chunk += csvRow(csv.cells(r));
    await write(chunk);
    total += rows.length;
    cursor = csv.next(rows[rows.length - 1]!);
    if (rows.length < PAGE) break;
  }
  return total;
}
