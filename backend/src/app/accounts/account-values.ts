import type { AccountValues } from './account.types';

/**
 * Parsing of account values as people type them in Zendesk fields and spreadsheets: "$120,000", "120000.50",
 * "1 200 €", "120k", "1.2M"; dates as `YYYY-MM-DD` (a time part is dropped). Anything else is null, never an error:
 * one bad cell must not stop a feed.
 */
export function parseMoney(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.round(raw * 100) / 100 : null;
  if (typeof raw !== 'string') return null;
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/[$€£¥\s_]|usd|eur|gbp/g, '')
    .replace(/,/g, '');
  const match = /^(\d+(?:\.\d+)?)([km])?$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * (match[2] === 'k' ? 1_000 : match[2] === 'm' ? 1_000_000 : 1);
  return value <= 99_999_999_999_999 ? Math.round(value * 100) / 100 : null;
}

export function parseCount(raw: unknown): number | null {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/,/g, '')) : NaN;
  return Number.isInteger(value) && value >= 0 && value <= 2_147_483_647 ? value : null;
}

export function parseDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(raw.trim());
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
    ? raw.trim().slice(0, 10)
    : null;
}

export function parseText(raw: unknown, max: number): string | null {
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  return text ? text.slice(0, max) : null;
}

/** The values of one record whose attributes are read by `get` (a mapped field, a CSV column). */
export function accountValues(get: (attribute: keyof AccountValues) => unknown): AccountValues {
  return {
    plan: parseText(get('plan'), 200),
    arr: parseMoney(get('arr')),
    mrr: parseMoney(get('mrr')),
    seats: parseCount(get('seats')),
    segment: parseText(get('segment'), 200),
    renewalDate: parseDate(get('renewalDate')),
    owner: parseText(get('owner'), 320),
  };
}

export const hasAnyValue = (v: AccountValues) => Object.values(v).some((x) => x !== null);
