import { parse as parseCsv } from 'csv-parse';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { chain } from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import type { TicketSource } from '../entities/ticket.entity';
import type { IncomingComment, IncomingTicket } from '../ticket-store.service';

export type ImportFormat = 'jsonl' | 'json' | 'csv';

/** One parsed row: a ticket (with the people it names), or why the row was rejected. */
export type ImportRow =
  | {
      line: number;
      ticket: IncomingTicket;
      organization?: { id: number; name: string };
      requester?: { id: number; name: string; email: string | null; organizationId: number | null };
      /** Comment authors named (not numbered) by the file, with ids made up for them. */
      authors?: { id: number; name: string; role: 'end-user' | 'agent' | 'admin' }[];
    }
  | { line: number; error: string };

/** Picks the format from the name, then from the first bytes (a JSON document vs one JSON object per line). */
export async function detectFormat(path: string, fileName: string): Promise<ImportFormat> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65_536), 0, 65_536, 0);
    const head = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (head.startsWith('[')) return 'json';
    if (head.startsWith('{')) {
      const firstLine = head.split('\n', 1)[0];
      try {
        const first = JSON.parse(firstLine) as Record<string, unknown>;
        // A complete object on the first line: one ticket per line, unless it is a whole `{"tickets": [...]}`.
        return Array.isArray(first['tickets']) ? 'json' : 'jsonl';
      } catch {
        return 'json';
      }
    }
    return 'csv';
  } finally {
    await handle.close();
  }
}

/**
 * Streams tickets out of an uploaded file without holding it in memory: JSONL (the `mine` format or Zendesk
 * ticket objects, one per line), a JSON document (an array of tickets or `{"tickets": [...]}`), or CSV with a
 * header row. Every row is validated; a bad row yields an error with its line (or record) number.
 */
export async function* readTicketFile(
  path: string,
  format: ImportFormat,
  source: TicketSource = 'import',
): AsyncGenerator<ImportRow> {
  if (format === 'jsonl') {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      const trimmed = text.replace(/^\uFEFF/, '').trim();
      if (!trimmed) continue;
      let record: unknown;
      try {
        record = JSON.parse(trimmed);
      } catch (error) {
        yield { line, error: `invalid JSON: ${(error as Error).message}` };
        continue;
      }
      yield toRow(line, record, source);
    }
    return;
  }
  if (format === 'json') {
    const head = (await readHead(path)).trimStart();
    const pipeline = chain([
      createReadStream(path),
      parser(),
      ...(head.startsWith('{') ? [pick({ filter: 'tickets' })] : []),
      streamArray(),
    ]) as Readable;
    let record = 0;
    try {
      for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
        record = item.key + 1;
        yield toRow(record, item.value, source);
      }
    } catch (error) {
      yield { line: record + 1, error: `invalid JSON after record ${record}: ${(error as Error).message}` };
    }
    return;
  }
  const csv = createReadStream(path).pipe(
    parseCsv({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  try {
    for await (const { record, info } of csv as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield toRow(info.lines, csvRecord(record), source);
    }
  } catch (error) {
    yield { line: (error as { lines?: number }).lines ?? 0, error: `invalid CSV: ${(error as Error).message}` };
  }
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1024), 0, 1024, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

function csvRecord(r: Record<string, string>): Record<string, unknown> {
  return {
    ...r,
    id: r['id'] ?? r['ticket id'] ?? r['ticket_id'],
    body: r['body'] ?? r['description'],
    tags: r['tags'] ? r['tags'].split(/[\s,]+/).filter(Boolean) : undefined,
  };
}

const MAX_TEXT = 200_000;

function toRow(line: number, record: unknown, source: TicketSource): ImportRow {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return { line, error: 'expected a JSON object' };
  const r = record as Record<string, unknown>;
  const id = typeof r['id'] === 'string' && /^\d+$/.test(r['id'].trim()) ? Number(r['id']) : r['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
    return { line, error: 'id must be a positive integer' };
  const subject = r['subject'] ?? '';
  if (typeof subject !== 'string') return { line, error: 'subject must be a string' };
  const body = r['body'] ?? r['description'] ?? '';
  if (typeof body !== 'string') return { line, error: 'body must be a string' };
  const created = optionalDate(r['created_at']);
  if (created === 'invalid') return { line, error: 'created_at must be a date' };
  const updated = optionalDate(r['updated_at']);
  if (updated === 'invalid') return { line, error: 'updated_at must be a date' };
  const createdAt = created ?? new Date();
  const comments: IncomingComment[] = [];
  const authors = new Map<number, { id: number; name: string; role: 'end-user' | 'agent' | 'admin' }>();
  if (r['comments'] !== undefined) {
    if (!Array.isArray(r['comments'])) return { line, error: 'comments must be an array' };
    for (const [i, c] of (r['comments'] as unknown[]).entries()) {
      if (!c || typeof c !== 'object') return { line, error: `comments[${i}] must be an object` };
      const cc = c as Record<string, unknown>;
      const text = cc['body'] ?? cc['plain_body'];
      if (typeof text !== 'string') return { line, error: `comments[${i}].body must be a string` };
      const at = optionalDate(cc['created_at']);
      if (at === 'invalid') return { line, error: `comments[${i}].created_at must be a date` };
      const role =
        typeof cc['author_role'] === 'string'
          ? cc['author_role']
          : typeof cc['author'] === 'string' && /agent|support/i.test(cc['author'])
            ? 'agent'
            : undefined;
      const authorRole =
        role === 'agent' || role === 'admin' || role === 'end-user'
          ? role
          : cc['public'] === false
            ? 'agent'
            : undefined;
      const authorName = typeof cc['author'] === 'string' ? cc['author'].trim() : '';
      let authorId = typeof cc['author_id'] === 'number' ? cc['author_id'] : null;
      if (authorId === null && authorName) {
        authorId = syntheticId('user', authorName.toLowerCase());
        authors.set(authorId, { id: authorId, name: authorName, role: authorRole ?? 'end-user' });
      }
      comments.push({
        zendeskCommentId: typeof cc['id'] === 'number' ? cc['id'] : null,
        authorId,
        authorRole,
        public: cc['public'] !== false,
        body: text.slice(0, MAX_TEXT),
        createdAt: at ?? createdAt,
      });
    }
  }
  if (!subject.trim() && !body.trim() && !comments.length)
    return { line, error: 'subject, body or comments must have text' };
  // The thread always starts with the description, as in Zendesk.
  let firstIsDescription = false;
  if (body.trim() && (!comments.length || comments[0].body.trim() !== body.trim())) {
    comments.unshift({
      public: true,
      body: body.slice(0, MAX_TEXT),
      createdAt,
      authorRole: 'end-user',
      authorId: null,
    });
    firstIsDescription = true;
  }
  const orgName =
    typeof r['organization'] === 'string'
      ? r['organization'].trim()
      : typeof r['organization_name'] === 'string'
        ? r['organization_name'].trim()
        : '';
  const organizationId =
    typeof r['organization_id'] === 'number' ? r['organization_id'] : orgName ? syntheticId('org', orgName) : null;
  const requesterEmail =
    typeof r['requester'] === 'string'
      ? r['requester'].trim()
      : typeof r['requester_email'] === 'string'
        ? r['requester_email'].trim()
        : '';
  const requesterId =
    typeof r['requester_id'] === 'number'
      ? r['requester_id']
      : requesterEmail
        ? syntheticId('user', requesterEmail.toLowerCase())
        : null;
  if (firstIsDescription && requesterId !== null) comments[0]!.authorId = requesterId;
  const tags = Array.isArray(r['tags'])
    ? (r['tags'] as unknown[]).filter((t): t is string => typeof t === 'string')
    : [];
  const status = typeof r['status'] === 'string' && r['status'] ? r['status'] : 'closed';
  if (status === 'deleted') return { line, error: 'status deleted: deleted tickets are not imported' };
  const ticket: IncomingTicket = {
    zendeskId: id,
    subject: subject.slice(0, 10_000),
    description: body.slice(0, MAX_TEXT),
    status: status.slice(0, 16),
    priority: typeof r['priority'] === 'string' ? r['priority'] : null,
    type: typeof r['type'] === 'string' ? r['type'] : null,
    tags,
    requesterId,
    organizationId,
    brandId: typeof r['brand_id'] === 'number' ? r['brand_id'] : null,
    channel: typeof r['channel'] === 'string' ? r['channel'] : 'import',
    createdAt,
    updatedAt: updated ?? createdAt,
    source,
    comments,
  };
  return {
    line,
    ticket,
    organization: orgName && organizationId ? { id: organizationId, name: orgName } : undefined,
    requester:
      requesterEmail && requesterId
        ? {
            id: requesterId,
            name: requesterEmail,
            email: requesterEmail.includes('@') ? requesterEmail : null,
            organizationId,
          }
        : undefined,
    authors: authors.size ? [...authors.values()] : undefined,
  };
}

function optionalDate(value: unknown): Date | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  const date =
    typeof value === 'number'
      ? new Date(value < 1e12 ? value * 1000 : value)
      : typeof value === 'string'
        ? new Date(value)
        : null;
  return date && !Number.isNaN(date.getTime()) ? date : 'invalid';
}

/** A stable id (in a range Zendesk does not use) for an organization or person an import names but does not number. */
export function syntheticId(kind: string, key: string): number {
  const hash = createHash('sha256').update(`${kind}:${key}`).digest();
  return 9_000_000_000_000 + (hash.readUInt32BE(0) % 1_000_000_000) * 1000 + (kind === 'org' ? 1 : 2);
}
