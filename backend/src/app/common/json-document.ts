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
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** 'array': the root is the records array; 'object': the records are under options.key. */
  let root: 'array' | 'object' | null = null;
  /** Depth of the records array's elements' container (1 for a root array, 2 under a key); 0 = not inside it. */
  let recordsDepth = 0;
  let expectKey = false;
  let key: number[] | null = null;
  let lastKey = '';
  let targetNext = false;
  let index = 0;
  // The element being read: its pieces (until it passes the cap) and size.
  let active = false;
  let scalar = false;
  let parts: Buffer[] = [];
  let size = 0;
  const take = (chunk: Buffer, start: number, end: number) => {
    if (end <= start) return;
    size += end - start;
    if (size > options.maxBytes) parts = [];
    else parts.push(Buffer.from(chunk.subarray(start, end)));
  };
  const finish = (): JsonRecord => {
    index++;
    const out: JsonRecord =
      size > options.maxBytes
        ? { index, error: options.oversize(size) }
        : { index, bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts) };
    active = false;
    parts = [];
    size = 0;
    return out;
  };
  const broken = (why: string): JsonRecord => ({
    index: index + 1,
    error: `invalid JSON document after record ${index}: ${why}`,
  });

  for await (const chunk of input) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (key) {
            lastKey = Buffer.from(key).toString('utf8');
            key = null;
          }
          if (active && !scalar && depth === recordsDepth) {
            take(chunk, start, i + 1);
            yield finish();
          }
        } else if (key && key.length < 256) key.push(c);
        continue;
      }
      if (active && scalar && (c === COMMA || c === CLOSE_ARRAY || WHITESPACE(c))) {
        take(chunk, start, i);
        yield finish();
      }
      if (WHITESPACE(c)) continue;
      if (root === null) {
        if (c === OPEN_ARRAY) {
          root = 'array';
          recordsDepth = 1;
        } else if (c === OPEN_OBJECT) {
          root = 'object';
          expectKey = true;
        } else {
          yield broken('the document is neither an array nor an object');
          return;
        }
        depth = 1;
        continue;
      }
      if (depth === 0) {
        yield broken('characters after the end of the document');
        return;
      }
      if (recordsDepth && depth === recordsDepth && !active && c !== COMMA && c !== CLOSE_ARRAY) {
        active = true;
        scalar = c !== OPEN_OBJECT && c !== OPEN_ARRAY && c !== QUOTE;
        start = i;
      }
      if (c === QUOTE) {
        inString = true;
        if (root === 'object' && depth === 1 && expectKey) key = [];
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (targetNext && depth === 1) {
          targetNext = false;
          if (c === OPEN_ARRAY) recordsDepth = 2;
        }
        depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth < 0) {
          yield broken('unbalanced brackets');
          return;
        }
        if (active && !scalar && depth === recordsDepth) {
          take(chunk, start, i + 1);
          yield finish();
        } else if (recordsDepth && depth === recordsDepth - 1) recordsDepth = 0;
      } else if (root === 'object' && depth === 1) {
        if (c === COLON) {
          expectKey = false;
          targetNext = lastKey === options.key;
        } else if (c === COMMA) {
          expectKey = true;
          targetNext = false;
        } else targetNext = false;
      }
    }
    if (active) take(chunk, start, chunk.length);
  }
  if (active && scalar && depth === recordsDepth) yield finish();
  if (root === null) yield broken('the document is empty');
  else if (depth !== 0 || inString) yield broken('the document ends inside a value');
}
