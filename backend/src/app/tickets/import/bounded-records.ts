/**
 * Record splitters for import files that never hold more than one record of at most `maxBytes` (plus one read
 * chunk): a longer record is counted while its bytes go by, reported with its line and skipped, and the file goes
 * on after it. They work on bytes (every delimiter is ASCII, never part of a multi-byte UTF-8 sequence), so a
 * character cut by a chunk boundary is decoded whole.
 *
 * Why: readline, csv-parse and stream-json each build the whole record (a line, a field, a string) before anyone
 * can look at it, so one 600 MB line killed the worker with `RangeError: Invalid string length` and the good rows
 * around it were never stored.
 */

/** A record's bytes with the line it starts on, or why it was skipped. */
export type BoundedRecord = { line: number; endLine: number; bytes: Buffer } | { line: number; error: string };

/** Opens the file's bytes from an offset (a restart after an unclosed quote reads the file again). */
export type ByteSource = (offset: number) => AsyncIterable<Buffer>;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

export const overCap = (size: number, maxBytes: number) =>
  `a record of ${size} bytes is larger than ${maxBytes} bytes (IMPORT_MAX_RECORD_BYTES): skipped`;

/** Collects a record's pieces until it passes `maxBytes`; from then on only counts its size. */
class RecordBuffer {
  private parts: Buffer[] = [];
  size = 0;

  constructor(private readonly maxBytes: number) {}

  get over(): boolean {
    return this.size > this.maxBytes;
  }

  add(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    this.size += end - start;
    if (this.over) this.parts = [];
    // A copy: a view would keep the whole read chunk alive with the record.
    else this.parts.push(Buffer.from(chunk.subarray(start, end)));
  }

  take(): Buffer {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return bytes;
  }
}

/** The lines of a byte stream (JSONL); empty lines are skipped, a line over `maxBytes` is reported. */
export async function* boundedLines(input: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<BoundedRecord> {
  const record = new RecordBuffer(maxBytes);
  let line = 1;
  const finish = (): BoundedRecord | null => {
    if (record.over) {
      const error = overCap(record.size, maxBytes);
      record.take();
      return { line, error };
    }
    const bytes = record.take();
    return bytes.length ? { line, endLine: line, bytes } : null;
  };
  for await (const chunk of input) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      record.add(chunk, start, nl < 0 ? chunk.length : nl);
      if (nl < 0) break;
      const out = finish();
      if (out) yield out;
      line++;
      start = nl + 1;
    }
  }
  const out = finish();
  if (out) yield out;
}

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: the field's end, or the first half of an escaped `""`. */
const QUOTE_IN_QUOTED = 3;

/**
 * The records of a CSV file (RFC 4180 quoting: a quote opens a field only at its start, `""` inside is a quote):
 * a record ends at a line feed outside quotes. A record over `maxBytes` is skipped to its end without being held.
 *
 * A stray or unclosed quote makes the following lines one record, up to the next quote (that then closes a field
 * where no field can end: `"` followed by text) or to the end of the file. Such a record is reported by its first
 * line and the file is read again from the line after it, so the good rows it swallowed still land. Re-reading is
 * bounded: all passes together read at most about three times the file.
 */
export async function* boundedCsvRecords(open: ByteSource, maxBytes: number): AsyncGenerator<BoundedRecord> {
  let offset = 0;
  let firstLine = 1;
  let scanned = 0;
  let furthest = 0;
  const mayReread = (end: number) => scanned <= 2 * Math.max(furthest, end) + maxBytes;
  restart: for (;;) {
    const record = new RecordBuffer(maxBytes);
    let state = FIELD_START;
    let line = firstLine;
    let recordLine = line;
    /** Absolute offset of the first line feed inside the current record (where a re-read starts). */
    let firstBreak = -1;
    /** A quote where RFC 4180 allows none: the record's quoting is broken. */
    let malformed = false;
    let position = offset;
    for await (const chunk of open(offset)) {
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === LF) {
          if (state === QUOTED) {
            if (firstBreak < 0) firstBreak = position + i;
            line++;
            continue;
          }
          if (malformed && firstBreak >= 0 && mayReread(position + i)) {
            scanned += i;
            furthest = Math.max(furthest, position + i);
            yield { line: recordLine, error: brokenQuote(recordLine, line) };
            offset = firstBreak + 1;
            firstLine = recordLine + 1;
            continue restart;
          }
          record.add(chunk, start, i);
          const out = csvRecord(record, maxBytes, recordLine, line);
          if (out) yield out;
          line++;
          recordLine = line;
          firstBreak = -1;
          malformed = false;
          state = FIELD_START;
          start = i + 1;
          continue;
        }
        if (state === QUOTED) {
          if (c === QUOTE) state = QUOTE_IN_QUOTED;
        } else if (state === QUOTE_IN_QUOTED) {
          // `""` is an escaped quote; a delimiter ends the quoted field; anything else is broken quoting.
          if (c === QUOTE) state = QUOTED;
          else if (c === COMMA) state = FIELD_START;
          else {
            state = UNQUOTED;
            if (c !== CR) malformed = true;
          }
        } else if (c === COMMA) state = FIELD_START;
        else if (state === FIELD_START) state = c === QUOTE ? QUOTED : UNQUOTED;
        else if (c === QUOTE) malformed = true;
      }
      record.add(chunk, start, chunk.length);
      position += chunk.length;
      scanned += chunk.length;
    }
    furthest = Math.max(furthest, position);
    if (state !== QUOTED) {
      const out = csvRecord(record, maxBytes, recordLine, line);
      if (out) yield out;
      return;
    }
    const reread = firstBreak >= 0 && mayReread(position);
    yield { line: recordLine, error: unclosedQuote(recordLine, line, reread) };
    if (!reread) return;
    offset = firstBreak + 1;
    firstLine = recordLine + 1;
  }
}

/** The record `record` holds (lines `line`–`endLine`), its final CR dropped; an error when it was over `maxBytes`. */
function csvRecord(record: RecordBuffer, maxBytes: number, line: number, endLine: number): BoundedRecord | null {
  if (record.over) {
    const error = overCap(record.size, maxBytes);
    record.take();
    return { line, error };
  }
  let bytes = record.take();
  if (bytes.length && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  return bytes.length ? { line, endLine, bytes } : null;
}

const brokenQuote = (line: number, endLine: number) =>
  `a quote on this line is not closed where a field ends (lines ${line}–${endLine} read as one record): this line skipped`;

const unclosedQuote = (line: number, endLine: number, reread: boolean) =>
  reread
    ? 'a quote opened on this line is never closed (the record would run to the end of the file): this line skipped'
    : `a quote opened on this line is never closed: lines ${line}–${endLine} skipped`;
