import { parse as parseCsvRecord } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { commentText } from '../comment-text';
import { errorMessage } from '@app/common/errors';
import { jsonArrayRecords } from '@app/common/json-document';
import type { TicketSource } from '../entities/ticket.entity';
import { MAPPED_ID_MIN, ORIGINAL_ID, mappedTicketId } from '../ticket-ids';
import { CHANNEL_CHARS, EMAIL_CHARS, NAME_CHARS, SHORT_CHARS } from '../storable-text';
import type { IncomingComment, IncomingTicket } from '../incoming-ticket';
import { boundedCsvRecords, boundedLines, overCap } from './bounded-records';

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
      /** Fields dropped from a row that was otherwise stored (reported with its line). */
      notes?: string[];
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
      // A first line longer than the head (one huge ticket) cannot be parsed here: a document names its key first.
      if (bytesRead === 65_536 && !head.includes('\n')) return /^\{\s*"tickets"\s*:/.test(head) ? 'json' : 'jsonl';
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

/** Default of IMPORT_MAX_RECORD_BYTES: the largest record (line, CSV record, JSON array element) an import holds. */
export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Streams tickets out of an uploaded file without holding it in memory: JSONL (the `mine` format or Zendesk
 * ticket objects, one per line), a JSON document (an array of tickets or `{"tickets": [...]}`), or CSV with a
 * header row. Every row is validated; a bad row yields an error with its line (or record) number. No record over
 * `maxRecordBytes` is ever held: it is reported and skipped, and the rest of the file is read.
 */
export async function* readTicketFile(
  path: string,
  format: ImportFormat,
  source: TicketSource = 'import',
  maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
): AsyncGenerator<ImportRow> {
  const bytes = (start = 0) => createReadStream(path, { start }) as AsyncIterable<Buffer>;
  if (format === 'jsonl') yield* jsonlRows(bytes(), source, maxRecordBytes);
  else if (format === 'json') yield* jsonDocumentRows(bytes(), source, maxRecordBytes);
  else yield* csvRows(bytes, source, maxRecordBytes);
}

/** One ticket per line. */
async function* jsonlRows(
  bytes: AsyncIterable<Buffer>,
  source: TicketSource,
  maxRecordBytes: number,
): AsyncGenerator<ImportRow> {
  for await (const record of boundedLines(bytes, maxRecordBytes)) {
    if ('error' in record) {
      yield record;
      continue;
    }
    const text = record.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim();
    if (!text) continue;
    yield parsedRow(record.line, text, source);
  }
}

/** An array of tickets, or `{"tickets": [...]}`: one element at a time. */
async function* jsonDocumentRows(
  bytes: AsyncIterable<Buffer>,
  source: TicketSource,
  maxRecordBytes: number,
): AsyncGenerator<ImportRow> {
  for await (const record of jsonArrayRecords(bytes, {
    key: 'tickets',
    maxBytes: maxRecordBytes,
    oversize: (size) => overCap(size, maxRecordBytes),
  })) {
    if ('error' in record) yield { line: record.index, error: record.error };
    else yield parsedRow(record.index, record.bytes.toString('utf8'), source);
  }
}

/** A JSON record's row, or why its JSON is invalid. */
function parsedRow(line: number, text: string, source: TicketSource): ImportRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, error: `invalid JSON: ${errorMessage(error)}` };
  }
  return toRow(line, value, source);
}

/** CSV with a header row; a header that cannot be read ends the file. */
async function* csvRows(
  bytes: (start?: number) => AsyncIterable<Buffer>,
  source: TicketSource,
  maxRecordBytes: number,
): AsyncGenerator<ImportRow> {
  let header: string[] | null = null;
  for await (const record of boundedCsvRecords(bytes, maxRecordBytes)) {
    const fields: string[] | null | { error: string } = 'error' in record ? record : csvFields(record, !header);
    if (fields && 'error' in fields) {
      if (!header) {
        yield { line: record.line, error: `invalid CSV header: ${fields.error}` };
        return;
      }
      yield { line: record.line, error: fields.error };
      continue;
    }
    if (!fields) continue;
    if (!header) {
      header = fields.map((h) => h.trim().toLowerCase());
      continue;
    }
    if (fields.length === 1 && !fields[0]!.trim()) continue; // a blank line
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      if (i < fields.length) row[name] = fields[i]!;
    });
    yield toRow(record.line, csvRecord(row), source);
  }
}

/** The fields of one CSV record (null when it holds none), or why csv-parse refused its quoting. */
function csvFields(
  record: { line: number; endLine: number; bytes: Buffer },
  first: boolean,
): string[] | null | { error: string } {
  try {
    // One record at a time: csv-parse judges its quoting; an error costs this record only.
    const parsed = parseCsvRecord(record.bytes, { bom: first, relax_column_count: true }) as string[][];
    return parsed.length ? parsed[0]! : null;
  } catch (error) {
    const lines = record.endLine > record.line ? `lines ${record.line}–${record.endLine}` : `line ${record.line}`;
    return { error: `invalid CSV (${lines}): ${errorMessage(error)}` };
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
/** What ticket_comments.kind holds (varchar(32)); the other columns' widths are in storable-text. */
const KIND = 32;

/** A string without NULs (PostgreSQL refuses them), cut to `max` characters. */
const clean = (value: string, max: number) =>
  (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value).slice(0, max);

/** An optional short string field, cleaned and clamped; anything else is absent. */
const shortText = (value: unknown, max: number): string | null =>
  typeof value === 'string' && clean(value, max).trim() ? clean(value, max).trim() : null;

/**
 * An optional Zendesk id (a bigint column): a positive whole number JavaScript holds exactly, as a number or digits.
 * Anything else (1.5, 1e20, past bigint, text) is dropped with a note naming the field: the ticket is still stored.
 */
function optionalId(value: unknown, field: string, notes: string[]): number | null {
  if (value === undefined || value === null || value === '') return null;
  const id = typeof value === 'string' && /^\s*\d{1,16}\s*$/.test(value) ? Number(value) : value;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
  notes.push(
    `${field} ${JSON.stringify(value).slice(0, 40)} is not a Zendesk id (a positive whole number): stored without it`,
  );
  return null;
}

type Author = { id: number; name: string; role: 'end-user' | 'agent' | 'admin' };

function toRow(line: number, record: unknown, source: TicketSource): ImportRow {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return { line, error: 'expected a JSON object' };
  const r = record as Record<string, unknown>;
  const notes: string[] = [];
  const ids = ticketIds(r['id']);
  if ('error' in ids) return { line, error: ids.error };
  const subject = r['subject'] ?? '';
  if (typeof subject !== 'string') return { line, error: 'subject must be a string' };
  const body = r['body'] ?? r['description'] ?? '';
  if (typeof body !== 'string') return { line, error: 'body must be a string' };
  const created = optionalDate(r['created_at']);
  if (created === 'invalid') return { line, error: 'created_at must be a date (years 1 to 9999)' };
  const updated = optionalDate(r['updated_at']);
  if (updated === 'invalid') return { line, error: 'updated_at must be a date (years 1 to 9999)' };
  const createdAt = created ?? new Date();
  const authors = new Map<number, Author>();
  const comments = threadOf(r['comments'], createdAt, notes, authors);
  if ('error' in comments) return { line, error: comments.error };
  if (!subject.trim() && !body.trim() && !comments.length)
    return { line, error: 'subject, body or comments must have text' };
  // The thread always starts with the description, as in Zendesk.
  let firstIsDescription = false;
  if (body.trim() && (!comments.length || !sameText(comments[0].body, body))) {
    comments.unshift({
      public: true,
      body: body.slice(0, MAX_TEXT),
      createdAt,
      authorRole: 'end-user',
      authorId: null,
    });
    firstIsDescription = true;
  }
  const people = peopleOf(r, notes, authors);
  if (firstIsDescription && people.requesterId !== null) comments[0]!.authorId = people.requesterId;
  const status = shortText(r['status'], SHORT_CHARS) ?? 'closed';
  if (status === 'deleted') return { line, error: 'status deleted: deleted tickets are not imported' };
  const ticket: IncomingTicket = {
    zendeskId: ids.zendeskId,
    originalId: ids.originalId,
    subject: subject.slice(0, 10_000),
    description: body.slice(0, MAX_TEXT),
    status,
    priority: shortText(r['priority'], SHORT_CHARS),
    type: shortText(r['type'], SHORT_CHARS),
    tags: Array.isArray(r['tags'])
      ? (r['tags'] as unknown[]).filter((t): t is string => typeof t === 'string').map((t) => clean(t, NAME_CHARS))
      : [],
    requesterId: people.requesterId,
    organizationId: people.organizationId,
    brandId: optionalId(r['brand_id'], 'brand_id', notes),
    submitterId: optionalId(r['submitter_id'], 'submitter_id', notes),
    assigneeId: people.assigneeId,
    groupId: optionalId(r['group_id'], 'group_id', notes),
    channel:
      shortText(r['channel'], CHANNEL_CHARS) ?? shortText(asObject(r['via'])?.['channel'], CHANNEL_CHARS) ?? 'import',
    customFields: customFields(r['custom_fields'] ?? r['fields'], notes),
    satisfaction: satisfaction(r['satisfaction_rating']),
    createdAt,
    updatedAt: updated ?? createdAt,
    source,
    comments,
  };
  return {
    line,
    ticket,
    ...peopleRow(people),
    authors: authors.size ? [...authors.values()] : undefined,
    notes: notes.length ? notes : undefined,
  };
}

/** The comments of a row (none without `comments`); authors named but not numbered get an id in `authors`. */
function threadOf(
  value: unknown,
  createdAt: Date,
  notes: string[],
  authors: Map<number, Author>,
): IncomingComment[] | { error: string } {
  const comments: IncomingComment[] = [];
  if (value === undefined) return comments;
  if (!Array.isArray(value)) return { error: 'comments must be an array' };
  for (const [i, c] of (value as unknown[]).entries()) {
    if (!c || typeof c !== 'object') return { error: `comments[${i}] must be an object` };
    const comment = commentOf(c as Record<string, unknown>, i, createdAt, notes, authors);
    if ('error' in comment) return comment;
    comments.push(comment);
  }
  return comments;
}

function commentOf(
  cc: Record<string, unknown>,
  i: number,
  createdAt: Date,
  notes: string[],
  authors: Map<number, Author>,
): IncomingComment | { error: string } {
  if (![cc['body'], cc['html_body'], cc['plain_body']].some((v) => typeof v === 'string'))
    return { error: `comments[${i}].body must be a string (or html_body, plain_body)` };
  // The sync's text of a comment (body, else the HTML's text, else plain_body): one thread text either way.
  const text = commentText(cc);
  const at = optionalDate(cc['created_at']);
  if (at === 'invalid') return { error: `comments[${i}].created_at must be a date (years 1 to 9999)` };
  const role =
    typeof cc['author_role'] === 'string'
      ? cc['author_role']
      : typeof cc['author'] === 'string' && /agent|support/i.test(cc['author'])
        ? 'agent'
        : undefined;
  const authorRole =
    role === 'agent' || role === 'admin' || role === 'end-user' ? role : cc['public'] === false ? 'agent' : undefined;
  const authorName = typeof cc['author'] === 'string' ? clean(cc['author'], NAME_CHARS).trim() : '';
  let authorId = optionalId(cc['author_id'], `comments[${i}].author_id`, notes);
  if (authorId === null && authorName) {
    authorId = syntheticId('user', authorName.toLowerCase());
    authors.set(authorId, { id: authorId, name: authorName, role: authorRole ?? 'end-user' });
  }
  return {
    zendeskCommentId: optionalId(cc['id'], `comments[${i}].id`, notes),
    authorId,
    authorRole,
    public: cc['public'] !== false,
    body: text.slice(0, MAX_TEXT),
    createdAt: at ?? createdAt,
    kind: typeof cc['type'] === 'string' ? clean(cc['type'], KIND).trim() || undefined : undefined,
  };
}

interface RowPeople {
  orgName: string;
  organizationId: number | null;
  requesterEmail: string;
  requesterName: string;
  requesterId: number | null;
  assigneeId: number | null;
}

/**
 * The organization, requester and assignee of a row. Zendesk's JSON export embeds the requester, assignee and
 * organization objects beside their ids; a named assignee is added to `authors`.
 */
function peopleOf(r: Record<string, unknown>, notes: string[], authors: Map<number, Author>): RowPeople {
  const orgObject = asObject(r['organization']);
  const orgName = namedText(r, 'organization', 'organization_name', 'name', NAME_CHARS);
  const organizationId =
    optionalId(r['organization_id'] ?? orgObject?.['id'], 'organization_id', notes) ??
    (orgName ? syntheticId('org', orgName) : null);
  const requesterObject = asObject(r['requester']);
  const requesterEmail = namedText(r, 'requester', 'requester_email', 'email', EMAIL_CHARS);
  const requesterName = shortText(requesterObject?.['name'], NAME_CHARS) ?? requesterEmail;
  const requesterId =
    optionalId(r['requester_id'] ?? requesterObject?.['id'], 'requester_id', notes) ??
    (requesterEmail ? syntheticId('user', requesterEmail.toLowerCase()) : null);
  const assigneeId = optionalId(r['assignee_id'] ?? asObject(r['assignee'])?.['id'], 'assignee_id', notes);
  const assigneeName = shortText(asObject(r['assignee'])?.['name'], NAME_CHARS);
  if (assigneeId !== null && assigneeName)
    authors.set(assigneeId, { id: assigneeId, name: assigneeName, role: 'agent' });
  return { orgName, organizationId, requesterEmail, requesterName, requesterId, assigneeId };
}

/**
 * What a row says of a person or organization: the field itself when it is a string (`"requester": "a@b.c"`), else
 * its flat column (`requester_email`), else the embedded object's field (`requester.email`); '' when none.
 */
function namedText(r: Record<string, unknown>, key: string, column: string, field: string, max: number): string {
  const value = r[key];
  if (typeof value === 'string') return clean(value, max).trim();
  const flat = r[column];
  if (typeof flat === 'string') return clean(flat, max).trim();
  return shortText(asObject(value)?.[field], max) ?? '';
}

/** The organization and requester a row names, as the import stores them. */
function peopleRow(p: RowPeople): Pick<Extract<ImportRow, { ticket: IncomingTicket }>, 'organization' | 'requester'> {
  return {
    organization: p.orgName && p.organizationId ? { id: p.organizationId, name: p.orgName } : undefined,
    requester:
      (p.requesterEmail || p.requesterName) && p.requesterId
        ? {
            id: p.requesterId,
            name: p.requesterName,
            email: p.requesterEmail.includes('@') ? p.requesterEmail : null,
            organizationId: p.organizationId,
          }
        : undefined,
  };
}

/**
 * The ticket's ids: a Zendesk id (a positive whole number below the mapped range, as a number or digits) is its
 * own; another tool's key (`TCK-1042`, `banking_0001`, a uuid: see ORIGINAL_ID) is kept as `originalId` and gets a
 * provisional internal id (the import settles collisions with `TicketStore.mapOriginalIds`).
 */
function ticketIds(value: unknown): { zendeskId: number; originalId: string | null } | { error: string } {
  const digits = typeof value === 'string' && /^\s*\d{1,16}\s*$/.test(value);
  const id = digits ? Number(value) : value;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) {
    if (id >= MAPPED_ID_MIN)
      return { error: `id must be a positive integer below ${MAPPED_ID_MIN} (ids above are kept for ticket keys)` };
    return { zendeskId: id, originalId: null };
  }
  if (typeof value === 'string' && ORIGINAL_ID.test(value.trim()))
    return { zendeskId: mappedTicketId(value.trim()), originalId: value.trim() };
  return {
    error:
      'id must be a positive integer or a ticket key (up to 128 letters, digits and -_.:/#@+, with a digit: TCK-1042)',
  };
}

/** Ticket custom fields as Zendesk sends them (`[{id, value}]`); an entry without a numeric id is dropped with a note. */
function customFields(value: unknown, notes: string[]): { id: number; value: unknown }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    notes.push('custom_fields is not a list of {id, value}: stored without it');
    return [];
  }
  const out: { id: number; value: unknown }[] = [];
  for (const [i, f] of value.entries()) {
    const id = optionalId(asObject(f)?.['id'], `custom_fields[${i}].id`, notes);
    if (id === null) continue;
    const v = fieldValue(asObject(f)!['value']);
    if (v === undefined) notes.push(`custom_fields[${i}].value is not text, a number, a checkbox or a list: dropped`);
    else out.push({ id, value: v });
  }
  return out;
}

/** A custom field value of a Zendesk field type (text, number, checkbox, multiselect list); jsonb-safe text. */
function fieldValue(v: unknown): string | number | boolean | string[] | null | undefined {
  const text = (t: string) => clean(t, MAX_TEXT).toWellFormed();
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return text(v);
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return (v as string[]).map(text);
  return undefined;
}

/** `satisfaction_rating.score` (offered, unoffered, good, bad), or a score given as a plain string. */
function satisfaction(value: unknown): string | null {
  return shortText(typeof value === 'string' ? value : asObject(value)?.['score'], SHORT_CHARS);
}

const asObject = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** Whether two texts are the same but for whitespace (a description and its first comment, whatever their markup). */
const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** Dates PostgreSQL and JSON both hold (timestamptz takes years 4713 BC–294276; ISO strings 0–9999). */
const MIN_DATE = Date.parse('0001-01-01T00:00:00Z');
const MAX_DATE = Date.parse('9999-12-31T23:59:59.999Z');

function optionalDate(value: unknown): Date | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  const date =
    typeof value === 'number'
      ? new Date(value < 1e12 ? value * 1000 : value)
      : typeof value === 'string'
        ? new Date(value)
        : null;
  return date && !Number.isNaN(date.getTime()) && date.getTime() >= MIN_DATE && date.getTime() <= MAX_DATE
    ? date
    : 'invalid';
}

/** A stable id (in a range Zendesk does not use) for an organization or person an import names but does not number. */
export function syntheticId(kind: string, key: string): number {
  const hash = createHash('sha256').update(`${kind}:${key}`).digest();
  return 9_000_000_000_000 + (hash.readUInt32BE(0) % 1_000_000_000) * 1000 + (kind === 'org' ? 1 : 2);
}
