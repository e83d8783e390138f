/**
 * The requests bench/api and bench/api/ab drive: the four of issue 15 (cluster list, summary, the filtered issue
 * list's page 5, trends), the filtered issue list's page 50, a search, a cluster list with the console's filters
 * and the ticket list's page 5. What depends on the data (the searched word, the filtered category) is read once
 * from the first build's database, so every build answers the same URLs.
 */
import { sql } from '../support';

export interface TargetData {
  /** A word of issue summaries (the 5th most frequent of 6+ letters in a sample): a search PMs would type. */
  search: string;
  /** The category of the largest cluster (the cluster list's multi-filter). */
  category: string;
  /** UTC midnight 30 days ago (the multi-filter's period; fixed for the run so every build asks the same). */
  since: string;
}

/** Reads the data-dependent parts of the requests from a loaded database. `search` overrides the picked word. */
export async function targetData(database: string, search?: string): Promise<TargetData> {
  const word = search
    ? undefined
    : ((
        await sql(
          `SELECT w FROM (SELECT regexp_split_to_table(lower(summary), '[^a-z]+') AS w
                            FROM (SELECT summary FROM issues ORDER BY id LIMIT 5000) s) x
            WHERE length(w) >= 6 GROUP BY w ORDER BY count(*) DESC, w OFFSET 4 LIMIT 1`,
          database,
        )
      ).rows[0]?.w as string | undefined);
  const category = (
    await sql(`SELECT category FROM clusters WHERE merged_into IS NULL ORDER BY issue_count DESC, id LIMIT 1`, database)
  ).rows[0]?.category as string | undefined;
  const since = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 30 * 86_400_000).toISOString();
  return { search: search ?? word ?? 'export', category: category ?? 'billing', since };
}

export interface ApiTarget {
  /** A short name (bench/api/ab's output). */
  key: string;
  label: string;
  path: string;
}

/** Every measured request. The first four are issue 15's. */
export function apiTargets(data: TargetData): ApiTarget[] {
  const filtered = '/api/issues?severity=critical,high&perPage=50';
  const multi = new URLSearchParams({
    category: data.category,
    pmStatus: 'new,reviewing,acknowledged,in_progress',
    issueType: 'bug,friction',
    severity: 'critical,high',
    startDate: data.since,
    active: 'true',
    sort: 'count7d:desc',
    page: '1',
    perPage: '25',
  });
  const targets: [string, string, string][] = [
    ['clusters', 'cluster list (sort=issueCount:desc, page 1)', '/api/clusters?sort=issueCount:desc&page=1&perPage=25'],
    ['summary', 'summary (days=7)', '/api/issues/summary?days=7'],
    ['issues-p5', 'issue list (severity=critical,high, page 5)', `${filtered}&page=5`],
    ['trends', 'trends (days=90)', '/api/issues/trends?days=90'],
    ['issues-p50', 'issue list (severity=critical,high, page 50)', `${filtered}&page=50`],
    ['search', `issue search ("${data.search}")`, `/api/issues?search=${encodeURIComponent(data.search)}&perPage=50`],
    [
      'clusters-multi',
      'cluster list (console filters, multi)',
      `/api/clusters?${multi.toString().replace(/%2C/g, ',')}`,
    ],
    ['tickets-p5', 'ticket list (page 5)', '/api/tickets?page=5&perPage=50'],
  ];
  return targets.map(([key, label, path]) => ({ key, label, path }));
}
