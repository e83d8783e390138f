/**
 * A JSON object response read piece by piece from its bytes: top-level values are located by one scan, and the
 * elements of a top-level array are parsed one at a time (`elements`). The same values as `JSON.parse` of the
 * whole text, without ever holding the whole text as one string nor the whole parsed page.
 *
 * Why: an export page is megabytes of JSON. `JSON.parse(text)` makes the text a large-object string and the parsed
 * page survives the scavenges made while it is parsed and stored, so both land in V8's old generation as garbage
 * that only a full collection frees; V8 then grows the heap to keep up. Parsed and stored a few hundred records
 * at a time, the records die young.
 *
 * The scan works on UTF-8 bytes: every structural character is ASCII and never part of a multi-byte sequence.
 * Anything unexpected (not an object, malformed) throws a SyntaxError.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

export class JsonDocument {
  private readonly ranges = new Map<string, [number, number]>();

  constructor(private readonly bytes: Uint8Array) {
    const b = bytes;
    let i = skipSpace(b, 0);
    if (b[i] !== OPEN_OBJECT) throw new SyntaxError('JSON document: not an object');
    i = skipSpace(b, i + 1);
    if (b[i] === CLOSE_OBJECT) i++;
    else
      for (;;) {
        if (b[i] !== QUOTE) throw new SyntaxError('JSON document: expected a key');
        const keyEnd = endOfValue(b, i);
        const key = JSON.parse(this.text(i, keyEnd)) as string;
        i = skipSpace(b, keyEnd);
        if (b[i] !== COLON) throw new SyntaxError('JSON document: expected ":"');
        const start = skipSpace(b, i + 1);
        const end = endOfValue(b, start);
        this.ranges.set(key, [start, end]);
        i = skipSpace(b, end);
        if (b[i] === COMMA) {
          i = skipSpace(b, i + 1);
          continue;
        }
        if (b[i] === CLOSE_OBJECT) {
          i++;
          break;
        }
        throw new SyntaxError('JSON document: expected "," or "}"');
      }
    if (skipSpace(b, i) !== b.length) throw new SyntaxError('JSON document: trailing characters');
  }

  /**
   * Frees the bytes now instead of at V8's next full collection: the document has usually outlived a few
   * scavenges (it waits while the previous page is stored), so its wrapper sits in the old generation and would
   * keep megabytes of external memory until then. The document is unusable afterwards.
   */
  release(): void {
    const b = this.bytes;
    // Only a buffer of its own (a response body), never a view into a shared pool.
    if (b.byteOffset !== 0 || b.byteLength !== b.buffer.byteLength || b.buffer.byteLength < 65_536) return;
    // Moving the memory to a clone that dies young detaches it from this (old) wrapper.
    structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] });
  }

  has(key: string): boolean {
    return this.ranges.has(key);
  }

  /** A top-level value, parsed (undefined when absent). */
  value<T = unknown>(key: string): T | undefined {
    const range = this.ranges.get(key);
    return range ? (JSON.parse(this.text(range[0], range[1])) as T) : undefined;
  }

  /** The elements of a top-level array, each parsed when reached (nothing for an absent key or null). */
  *elements<T = unknown>(key: string): Generator<T> {
    for (const [start, end] of this.elementRanges(key)) yield JSON.parse(this.text(start, end)) as T;
  }

  /** How many elements a top-level array holds (0 when absent or null), without parsing them. */
  count(key: string): number {
    let n = 0;
    for (const _ of this.elementRanges(key)) n++;
    return n;
  }

  private *elementRanges(key: string): Generator<[number, number]> {
    const range = this.ranges.get(key);
    if (!range) return;
    const b = this.bytes;
    let i = range[0];
    if (b[i] !== OPEN_ARRAY) {
      if (this.value(key) === null) return;
      throw new SyntaxError(`JSON document: "${key}" is not an array`);
    }
    i = skipSpace(b, i + 1);
    if (b[i] === CLOSE_ARRAY) return;
    for (;;) {
      const end = endOfValue(b, i);
      yield [i, end];
      i = skipSpace(b, end);
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1);
        continue;
      }
      if (b[i] === CLOSE_ARRAY) return;
      throw new SyntaxError('JSON document: expected "," or "]"');
    }
  }

  private text(start: number, end: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8');
  }
}

function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** Index just after the JSON value starting at `i` (validated by JSON.parse when it is read). */
function endOfValue(b: Uint8Array, i: number): number {
  const n = b.length;
  const first = b[i];
  if (first === QUOTE) return endOfString(b, i);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    while (i < n) {
      const c = b[i];
      if (c === QUOTE) {
        i = endOfString(b, i);
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('JSON document: unterminated object or array');
  }
  const start = i;
  while (i < n) {
    const c = b[i];
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
      break;
    i++;
  }
  if (i === start) throw new SyntaxError('JSON document: expected a value');
  return i;
}

function endOfString(b: Uint8Array, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  throw new SyntaxError('JSON document: unterminated string');
}

/** One element of the records array of a streamed JSON document (its text unparsed), or why it was skipped. */
export type JsonRecord = { index: number; bytes: Buffer } | { index: number; error: string };

const WHITESPACE = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The elements of a JSON document's records array — the document itself when it is an array, else the array under
 * the top-level `key` — read from a byte stream, each held alone and only when it is at most `maxBytes`: a larger
 * element is skipped to its end while its size is counted (`oversize`), and the rest of the document is never held
 * (other keys' values go by unbuffered). Elements are returned as bytes for the caller to parse and judge one by
 * one; a document that is not JSON at the structural level ends with an error record.
 */
export async function* jsonArrayRecords(
  input: AsyncIterable<Buffer>,
  options: { key: string; maxBytes: number; oversize: (bytes: number) => string },
): AsyncGenerator<JsonRecord> {
  const scanner = new RecordsScanner(options);
  for await (const chunk of input) {
    yield* scanner.scan(chunk);
    if (scanner.stopped) return;
  }
  yield* scanner.end();
}

/** The state of `jsonArrayRecords` across chunks: where the scan is in the document, and the element being read. */
class RecordsScanner {
  /** Set once the document is found broken (its error record yielded): nothing more is read. */
  stopped = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** 'array': the root is the records array; 'object': the records are under options.key. */
  private root: 'array' | 'object' | null = null;
  /** Depth of the records array's elements' container (1 for a root array, 2 under a key); 0 = not inside it. */
  private recordsDepth = 0;
  private expectKey = false;
  private key: number[] | null = null;
  private lastKey = '';
  private targetNext = false;
  private index = 0;
  // The element being read: where it starts in the current chunk, its pieces (until it passes the cap) and size.
  private active = false;
  private scalar = false;
  private start = 0;
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly options: { key: string; maxBytes: number; oversize: (bytes: number) => string }) {}

  /** The records that end in `chunk`; the part of an element it leaves open is kept for the next chunk. */
  *scan(chunk: Buffer): Generator<JsonRecord> {
    this.start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        const out = this.stringByte(chunk, i, c);
        if (out) yield out;
        continue;
      }
      if (this.active && this.scalar && (c === COMMA || c === CLOSE_ARRAY || WHITESPACE(c))) {
        this.take(chunk, this.start, i);
        yield this.finish();
      }
      if (WHITESPACE(c)) continue;
      const out = this.structuralByte(chunk, i, c);
      if (out) yield out;
      if (this.stopped) return;
    }
    if (this.active) this.take(chunk, this.start, chunk.length);
  }

  /** What is left at the end of the input: a last scalar element, or why the document is incomplete. */
  *end(): Generator<JsonRecord> {
    if (this.active && this.scalar && this.depth === this.recordsDepth) yield this.finish();
    if (this.root === null) yield this.broken('the document is empty');
    else if (this.depth !== 0 || this.inString) yield this.broken('the document ends inside a value');
  }

  /** A byte inside a string: a closing quote may end a key or a string element. */
  private stringByte(chunk: Buffer, i: number, c: number): JsonRecord | null {
    if (this.escaped) this.escaped = false;
    else if (c === BACKSLASH) this.escaped = true;
    else if (c === QUOTE) {
      this.inString = false;
      if (this.key) {
        this.lastKey = Buffer.from(this.key).toString('utf8');
        this.key = null;
      }
      if (this.active && !this.scalar && this.depth === this.recordsDepth) {
        this.take(chunk, this.start, i + 1);
        return this.finish();
      }
    } else if (this.key && this.key.length < 256) this.key.push(c);
    return null;
  }

  /** A byte outside strings (not whitespace): the document's structure. */
  private structuralByte(chunk: Buffer, i: number, c: number): JsonRecord | null {
    if (this.root === null) return this.openRoot(c);
    if (this.depth === 0) return this.stop('characters after the end of the document');
    if (this.recordsDepth && this.depth === this.recordsDepth && !this.active && c !== COMMA && c !== CLOSE_ARRAY) {
      this.active = true;
      this.scalar = c !== OPEN_OBJECT && c !== OPEN_ARRAY && c !== QUOTE;
      this.start = i;
    }
    if (c === QUOTE) {
      this.inString = true;
      if (this.root === 'object' && this.depth === 1 && this.expectKey) this.key = [];
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (this.targetNext && this.depth === 1) {
        this.targetNext = false;
        if (c === OPEN_ARRAY) this.recordsDepth = 2;
      }
      this.depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      this.depth--;
      if (this.depth < 0) return this.stop('unbalanced brackets');
      if (this.active && !this.scalar && this.depth === this.recordsDepth) {
        this.take(chunk, this.start, i + 1);
        return this.finish();
      } else if (this.recordsDepth && this.depth === this.recordsDepth - 1) this.recordsDepth = 0;
    } else if (this.root === 'object' && this.depth === 1) this.topLevelByte(c);
    return null;
  }

  /** The document's first byte: the records array itself, or an object holding it under the key. */
  private openRoot(c: number): JsonRecord | null {
    if (c === OPEN_ARRAY) {
      this.root = 'array';
      this.recordsDepth = 1;
    } else if (c === OPEN_OBJECT) {
      this.root = 'object';
      this.expectKey = true;
    } else return this.stop('the document is neither an array nor an object');
    this.depth = 1;
    return null;
  }

  /** A colon or comma of the root object: the records array is the value of the key `options.key`. */
  private topLevelByte(c: number): void {
    if (c === COLON) {
      this.expectKey = false;
      this.targetNext = this.lastKey === this.options.key;
    } else if (c === COMMA) {
      this.expectKey = true;
      this.targetNext = false;
    } else this.targetNext = false;
  }

  private take(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    this.size += end - start;
    if (this.size > this.options.maxBytes) this.parts = [];
    else this.parts.push(Buffer.from(chunk.subarray(start, end)));
  }

  private finish(): JsonRecord {
    this.index++;
    const out: JsonRecord =
      this.size > this.options.maxBytes
        ? { index: this.index, error: this.options.oversize(this.size) }
        : { index: this.index, bytes: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts) };
    this.active = false;
    this.parts = [];
    this.size = 0;
    return out;
  }

  private broken(why: string): JsonRecord {
    return { index: this.index + 1, error: `invalid JSON document after record ${this.index}: ${why}` };
  }

  /** The document is broken: its error record, and nothing more is read. */
  private stop(why: string): JsonRecord {
    this.stopped = true;
    return this.broken(why);
  }
}
