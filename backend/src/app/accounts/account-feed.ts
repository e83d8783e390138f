import { parse } from 'csv-parse/sync';
import type { AccountValues } from './account.types';
import { accountValues } from './account-values';

/** One row of a CSV account feed: how to find its organization, and its values. */
export interface FeedRow extends AccountValues {
  line: number;
  organizationId: number | null;
  domain: string | null;
  name: string | null;
}

/** Header names accepted for each column (lower case, spaces and dashes read as underscores). */
const COLUMNS: Record<string, keyof Omit<FeedRow, 'line'>> = {
  organization_id: 'organizationId',
  org_id: 'organizationId',
  zendesk_organization_id: 'organizationId',
  id: 'organizationId',
  domain: 'domain',
  domain_name: 'domain',
  website: 'domain',
  name: 'name',
  organization: 'name',
  organization_name: 'name',
  account: 'name',
  account_name: 'name',
  plan: 'plan',
  arr: 'arr',
  annual_recurring_revenue: 'arr',
  mrr: 'mrr',
  monthly_recurring_revenue: 'mrr',
  seats: 'seats',
  licenses: 'seats',
  segment: 'segment',
  tier: 'segment',
  renewal_date: 'renewalDate',
  renewal: 'renewalDate',
  renews_on: 'renewalDate',
  owner: 'owner',
  account_owner: 'owner',
  csm: 'owner',
};

export class FeedFormatError extends Error {}

/**
 * Reads a CSV feed with a header row. A feed must name its organizations (an `organization_id`, `domain` or
 * `name` column) and carry at least one value column; rows that name no organization are skipped. `arr`-like
 * cells that are not money are read as empty.
 */
export function readAccountFeed(text: string, maxRows = 100_000): FeedRow[] {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new FeedFormatError(`file: not valid CSV (${(error as Error).message})`);
  }
  const [header, ...rows] = records;
  if (!header) throw new FeedFormatError('file: the CSV is empty (a header row is required)');
  const keys = header.map((h) => COLUMNS[h.toLowerCase().replace(/[\s-]+/g, '_')]);
  if (!keys.some((k) => k === 'organizationId' || k === 'domain' || k === 'name'))
    throw new FeedFormatError('file: the header names no organization column (organization_id, domain or name)');
  if (!keys.some((k) => k && !['organizationId', 'domain', 'name'].includes(k)))
    throw new FeedFormatError('file: the header names no value column (arr, mrr, plan, seats, segment, ...)');
  if (rows.length > maxRows) throw new FeedFormatError(`file: more than ${maxRows} rows`);
  return rows.map((cells, i) => {
    const get = (key: string) => {
      const index = keys.findIndex((k) => k === key);
      return index >= 0 ? cells[index] : undefined;
    };
    const id = Number(get('organizationId'));
    const domain = String(get('domain') ?? '')
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '')
      .replace(/^www\./, '');
    const name = String(get('name') ?? '').trim();
    return {
      line: i + 2,
      organizationId: Number.isSafeInteger(id) && id > 0 ? id : null,
      domain: domain || null,
      name: name || null,
      ...accountValues((attribute) => get(attribute)),
    };
  });
}
