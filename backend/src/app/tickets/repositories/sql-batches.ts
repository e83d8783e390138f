/** Characters of JSON per statement: below V8's large-object size (128 KB) even for two-byte strings. */
const JSON_BATCH_CHARS = 48_000;

/**
 * Rows as JSON arrays for jsonb_to_recordset (one parameter, not one per column per row), cut so that no string is
 * a large object. A multi-megabyte parameter lives in V8's large-object space, survives the scavenges made while
 * its statement runs and is only freed by a full collection: per export page, that garbage (and the heap growth
 * it causes) was most of the sync's peak memory.
 */
export function jsonBatches(rows: readonly unknown[], maxChars = JSON_BATCH_CHARS): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length && size + json.length + 1 > maxChars) {
      out.push(`[${parts.join(',')}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length) out.push(`[${parts.join(',')}]`);
  return out;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows changed by an UPDATE or DELETE: TypeORM answers `[rows, affected]` for them on PostgreSQL. */
export function updatedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
