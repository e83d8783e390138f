/**
 * What a tool call looks like when generation stops mid-way (`stop_reason: "max_tokens"`): the JSON text of the
 * input is cut after `maxChars` characters and parsed leniently. Complete members are kept, an unfinished string,
 * number or key is dropped, unfinished objects and arrays are kept with what they had so far.
 */

interface Parsed {
  value: unknown;
  complete: boolean;
  /** False when nothing usable was parsed (an unfinished scalar). */
  present: boolean;
}

class PartialParser {
  private i = 0;

  constructor(private readonly s: string) {}

  parse(): unknown {
    const r = this.value();
    return r.present ? r.value : undefined;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] as string)) this.i++;
  }

  private value(): Parsed {
    this.ws();
    if (this.i >= this.s.length) return { value: undefined, complete: false, present: false };
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') {
      const str = this.string();
      return str === undefined
        ? { value: undefined, complete: false, present: false }
        : { value: str, complete: true, present: true };
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) return { value: undefined, complete: false, present: false };
    this.i += m[0].length;
    // A number at the very end may have been cut (12 of 1234): treat it as unfinished.
    if (this.i >= this.s.length && /\d$/.test(m[0])) return { value: undefined, complete: false, present: false };
    return { value: JSON.parse(m[0]) as unknown, complete: true, present: true };
  }

  private string(): string | undefined {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') {
        this.i += 2;
        continue;
      }
      if (c === '"') {
        this.i++;
        try {
          return JSON.parse(this.s.slice(start, this.i)) as string;
        } catch {
          return undefined;
        }
      }
      this.i++;
    }
    this.i = this.s.length;
    return undefined;
  }

  private object(): Parsed {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) return { value: out, complete: false, present: true };
      if (this.s[this.i] === '}') {
        this.i++;
        return { value: out, complete: true, present: true };
      }
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      const key = this.s[this.i] === '"' ? this.string() : undefined;
      if (key === undefined) return { value: out, complete: false, present: true };
      this.ws();
      if (this.s[this.i] !== ':') return { value: out, complete: false, present: true };
      this.i++;
      const v = this.value();
      if (v.present) out[key] = v.value;
      if (!v.complete) return { value: out, complete: false, present: true };
    }
  }

  private array(): Parsed {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) return { value: out, complete: false, present: true };
      if (this.s[this.i] === ']') {
        this.i++;
        return { value: out, complete: true, present: true };
      }
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      const v = this.value();
      if (v.present) out.push(v.value);
      if (!v.complete) return { value: out, complete: false, present: true };
    }
  }
}

/** Parses the longest usable prefix of a cut JSON text (see the file comment). */
export function parsePartialJson(text: string): unknown {
  return new PartialParser(text).parse();
}

/** `value` as it would be after its JSON text is cut at `maxChars` characters; `{}` if nothing survives. */
export function truncateJsonValue(value: unknown, maxChars: number): unknown {
  const json = JSON.stringify(value);
  if (json.length <= maxChars) return value;
  const v = parsePartialJson(json.slice(0, Math.max(0, maxChars)));
  return v === undefined ? {} : v;
}
