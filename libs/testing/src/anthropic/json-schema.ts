/**
 * A small JSON Schema subset, enough for tool `input_schema`s: a validator (used by tests and by the
 * stub's fault injection to prove an input is valid or invalid) and helpers to resolve `$ref`s.
 *
 * Supported keywords: type (string or array), enum, const, properties, required, additionalProperties,
 * items, minItems, maxItems, uniqueItems, minLength, maxLength, pattern, minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, multipleOf, anyOf, oneOf, allOf, not, $ref (local: `#/...`).
 * `format` is not checked.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnthropicJsonSchema = { [keyword: string]: any } | boolean;

export type JsonObjectSchema = Exclude<AnthropicJsonSchema, boolean>;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Follows a local JSON pointer (`#/$defs/Issue`) inside `root`. */
export function resolveRef(root: AnthropicJsonSchema, ref: string): AnthropicJsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref
    .slice(1)
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: unknown = root;
  for (const part of parts) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'boolean' || isPlainObject(cur) ? (cur as AnthropicJsonSchema) : undefined;
}

/** Resolves `$ref` chains (bounded) and returns the effective schema object. */
export function deref(root: AnthropicJsonSchema, schema: AnthropicJsonSchema): AnthropicJsonSchema {
  let cur = schema;
  for (let i = 0; i < 32 && isPlainObject(cur) && typeof cur['$ref'] === 'string'; i++) {
    const next = resolveRef(root, cur['$ref'] as string);
    if (next === undefined) return cur;
    // Sibling keywords next to $ref (allowed since 2019-09) are merged over the target.
    const { $ref: _ignored, ...rest } = cur;
    void _ignored;
    cur = isPlainObject(next) && Object.keys(rest).length > 0 ? { ...next, ...rest } : next;
  }
  return cur;
}

export function schemaTypes(schema: JsonObjectSchema): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const actual = jsonType(v);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return expected === actual;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function codePoints(s: string): number {
  return [...s].length;
}

/**
 * Validates `value` against `schema`. Returns human-readable errors, each prefixed by the JSON pointer of the
 * offending value (`/issues/0/severity: ...`); an empty array means valid.
 */
export function validateJsonSchema(schema: AnthropicJsonSchema, value: unknown): string[] {
  const errors: string[] = [];
  check(schema, schema, value, '', errors, 0);
  return errors;
}

function check(
  root: AnthropicJsonSchema,
  schemaIn: AnthropicJsonSchema,
  v: unknown,
  path: string,
  errors: string[],
  depth: number,
): void {
  if (depth > 64) return;
  const where = path === '' ? '/' : path;
  const schema = deref(root, schemaIn);
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${where}: no value is allowed here`);
    return;
  }

  const types = schemaTypes(schema);
  if (types.length > 0 && !types.some((t) => typeMatches(t, v))) {
    errors.push(`${where}: must be ${types.join(' or ')} (got ${jsonType(v)})`);
    return;
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].some((e: unknown) => deepEqual(e, v))) {
    errors.push(`${where}: must be one of ${JSON.stringify(schema['enum'])} (got ${JSON.stringify(v)})`);
  }
  if ('const' in schema && !deepEqual(schema['const'], v)) {
    errors.push(`${where}: must equal ${JSON.stringify(schema['const'])} (got ${JSON.stringify(v)})`);
  }

  if (typeof v === 'string') {
    const len = codePoints(v);
    if (typeof schema['minLength'] === 'number' && len < schema['minLength'])
      errors.push(`${where}: must be at least ${schema['minLength']} characters (got ${len})`);
    if (typeof schema['maxLength'] === 'number' && len > schema['maxLength'])
      errors.push(`${where}: must be at most ${schema['maxLength']} characters (got ${len})`);
    if (typeof schema['pattern'] === 'string') {
      let re: RegExp | undefined;
      try {
        re = new RegExp(schema['pattern'], 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(v)) errors.push(`${where}: must match pattern ${schema['pattern']}`);
    }
  }

  if (typeof v === 'number') {
    if (typeof schema['minimum'] === 'number' && v < schema['minimum'])
      errors.push(`${where}: must be >= ${schema['minimum']} (got ${v})`);
    if (typeof schema['maximum'] === 'number' && v > schema['maximum'])
      errors.push(`${where}: must be <= ${schema['maximum']} (got ${v})`);
    if (typeof schema['exclusiveMinimum'] === 'number' && v <= schema['exclusiveMinimum'])
      errors.push(`${where}: must be > ${schema['exclusiveMinimum']} (got ${v})`);
    if (typeof schema['exclusiveMaximum'] === 'number' && v >= schema['exclusiveMaximum'])
      errors.push(`${where}: must be < ${schema['exclusiveMaximum']} (got ${v})`);
    if (typeof schema['multipleOf'] === 'number' && schema['multipleOf'] > 0) {
      const q = v / schema['multipleOf'];
      if (Math.abs(q - Math.round(q)) > 1e-9) errors.push(`${where}: must be a multiple of ${schema['multipleOf']}`);
    }
  }

  if (Array.isArray(v)) {
    if (typeof schema['minItems'] === 'number' && v.length < schema['minItems'])
      errors.push(`${where}: must have at least ${schema['minItems']} items (got ${v.length})`);
    if (typeof schema['maxItems'] === 'number' && v.length > schema['maxItems'])
      errors.push(`${where}: must have at most ${schema['maxItems']} items (got ${v.length})`);
    if (schema['uniqueItems'] === true) {
      for (let i = 0; i < v.length; i++) {
        for (let j = i + 1; j < v.length; j++) {
          if (deepEqual(v[i], v[j])) {
            errors.push(`${where}: items ${i} and ${j} must be unique`);
            i = v.length;
            break;
          }
        }
      }
    }
    const items = schema['items'];
    if (items !== undefined && (typeof items === 'boolean' || isPlainObject(items))) {
      v.forEach((item, i) => check(root, items as AnthropicJsonSchema, item, `${path}/${i}`, errors, depth + 1));
    }
  }

  if (isPlainObject(v)) {
    const props = isPlainObject(schema['properties'])
      ? (schema['properties'] as Record<string, AnthropicJsonSchema>)
      : {};
    if (Array.isArray(schema['required'])) {
      for (const key of schema['required'] as unknown[]) {
        if (typeof key === 'string' && !(key in v)) errors.push(`${path}/${key}: is required`);
      }
    }
    for (const [key, child] of Object.entries(v)) {
      if (key in props) {
        check(root, props[key] as AnthropicJsonSchema, child, `${path}/${key}`, errors, depth + 1);
      } else if (schema['additionalProperties'] === false) {
        errors.push(`${path}/${key}: is not allowed (additionalProperties is false)`);
      } else if (isPlainObject(schema['additionalProperties'])) {
        check(root, schema['additionalProperties'] as AnthropicJsonSchema, child, `${path}/${key}`, errors, depth + 1);
      }
    }
  }

  if (Array.isArray(schema['allOf'])) {
    for (const sub of schema['allOf'] as AnthropicJsonSchema[]) check(root, sub, v, path, errors, depth + 1);
  }
  if (Array.isArray(schema['anyOf'])) {
    const ok = (schema['anyOf'] as AnthropicJsonSchema[]).some(
      (sub) => validateSub(root, sub, v, path, depth).length === 0,
    );
    if (!ok) errors.push(`${where}: must match at least one schema in anyOf`);
  }
  if (Array.isArray(schema['oneOf'])) {
    const n = (schema['oneOf'] as AnthropicJsonSchema[]).filter(
      (sub) => validateSub(root, sub, v, path, depth).length === 0,
    ).length;
    if (n !== 1) errors.push(`${where}: must match exactly one schema in oneOf (matched ${n})`);
  }
  if (
    schema['not'] !== undefined &&
    validateSub(root, schema['not'] as AnthropicJsonSchema, v, path, depth).length === 0
  ) {
    errors.push(`${where}: must not match the schema in not`);
  }
}

function validateSub(
  root: AnthropicJsonSchema,
  sub: AnthropicJsonSchema,
  v: unknown,
  path: string,
  depth: number,
): string[] {
  const errs: string[] = [];
  check(root, sub, v, path, errs, depth + 1);
  return errs;
}
