import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from './pagination';

/**
 * The most rows a list counts. Counting every match of a broad filter costs a scan of all of them on every request
 * (tens of ms at 100k tickets); counting up to the cap costs at most a cap's worth of index entries. Beyond it,
 * `total` is the cap and `totalExact` false (the console shows "10,000+").
 */
export const COUNT_CAP = 10_000;
/**
 * The cap of a full-text search's count: its matches are counted from the heap (a page read per match, where a
 * filter's count reads index entries), so the cap is smaller ("1,000+").
 */
export const SEARCH_COUNT_CAP = 1_000;

/** `page`, `perPage` and the opaque `cursor` a list returned as `nextCursor` (keyset paging: deep pages cost a page). */
export class CursorPageQuery extends PageQuery {
  /**
   * The `nextCursor` of the previous page: the next page starts after its last row, whatever the page's number
   * (`page` is then the cursor's). Only valid with the same sort (filters should be the same too).
   */
  @ApiPropertyOptional({
    maxLength: 1000,
    description:
      "The previous page's nextCursor: the next page, starting after its last row (its `page` is the cursor's). " +
      'Only valid with the same sort.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this list returned' })
  cursor?: string;
}

/** Where a keyset page starts: after the row whose sort key is `values`, on page `page`, under `sort`. */
export interface Keyset {
  page: number;
  sort: string;
  values: string[];
}

/** The opaque `nextCursor` of a keyset. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.page, keyset.sort, keyset.values])).toString('base64url');
}

/** The keyset of a cursor made under `sort` with `arity` key values; a 400 naming `cursor` otherwise. */
export function decodeCursor(cursor: string, sort: string, arity: number): Keyset {
  const invalid = (why: string) => new BadRequestException(`cursor ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('must be a nextCursor this list returned');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid('must be a nextCursor this list returned');
  const [page, cursorSort, values] = parsed as [unknown, unknown, unknown];
  if (!Number.isInteger(page) || (page as number) < 2) throw invalid('must be a nextCursor this list returned');
  if (cursorSort !== sort) throw invalid(`was made for sort ${String(cursorSort)}, not ${sort}`);
  const valid = Array.isArray(values) && values.length === arity;
  if (!valid || !values.every((v) => typeof v === 'string' && v.length <= 300))
    throw invalid('must be a nextCursor this list returned');
  return { page: page as number, sort, values: values as string[] };
}

/** A sort key column: its SQL (over the list's alias) and the type its text value casts back to. */
export interface KeyColumn {
  sql: string;
  type: string;
}

/**
 * The keyset condition "after `values`" over `keys` (all in one direction): a row comparison, which a B-tree on the
 * same columns answers as a range. `at` is the first parameter's number ($at).
 */
export function afterKeyset(keys: KeyColumn[], descending: boolean, at: number): string {
  const left = keys.map((k) => k.sql).join(', ');
  const right = keys.map((k, n) => `$${at + n}::${k.type}`).join(', ');
  return `(${left}) ${descending ? '<' : '>'} (${right})`;
}

/** The key columns as text, for the cursor of the page's last row (`k0`, `k1`, …). */
export const keyOutputs = (keys: KeyColumn[]): string => keys.map((k, n) => `(${k.sql})::text AS k${n}`).join(', ');

/** The key values of a row selected with `keyOutputs`. */
export const keyValues = (row: Record<string, unknown>, arity: number): string[] =>
  Array.from({ length: arity }, (_, n) => String(row[`k${n}`]));

/** `SELECT count(*)` of a FROM … WHERE …, stopping at `cap` + 1 rows. */
export const cappedCountSql = (fromWhere: string, cap = COUNT_CAP): string =>
  `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${fromWhere} LIMIT ${cap + 1}) capped`;

/** `total` and `totalExact` of a count capped at `cap`. */
export const cappedTotal = (n: number, cap = COUNT_CAP): { total: number; totalExact: boolean } =>
  n > cap ? { total: cap, totalExact: false } : { total: n, totalExact: true };
