/**
 * The stub's default "model": finds sentences in a ticket that look like product problems and fills any tool
 * `input_schema` with values built from them, by walking the schema (object / array / string / enum / number /
 * boolean / required / anyOf / oneOf / allOf / $ref). It does not know the product's field names: it picks
 * values by the shape of the schema and a few name hints (quote-like, summary-like, detail-like, confidence-like
 * fields), so the output stays schema-valid whatever the product's schema ends up looking like.
 */
import { AnthropicJsonSchema, JsonObjectSchema, deref, isPlainObject, schemaTypes } from './json-schema';

/** A sentence of the ticket that reads like a problem, copied verbatim: `text === source.slice(start, end)`. */
export interface ProblemSentence {
  text: string;
  start: number;
  end: number;
}

export interface FindProblemSentencesOptions {
  /** Most sentences returned (default 3). */
  max?: number;
}

const PROBLEM_PATTERNS: RegExp[] = [
  /\berrors?\b/i,
  /\bcrash(?:es|ed|ing)?\b/i,
  /\bcan[’']?t\b/i,
  /\bcan ?not\b/i,
  /\bcouldn[’']?t\b/i,
  /\b(?:doesn|don|didn|won|isn|aren|wasn)[’']?t\b/i,
  /\b(?:does|do|did|will|is|are|was) not\b/i,
  /\bnot (?:working|loading|showing|saving|syncing|sending|possible|able|updating|arriving)\b/i,
  /\bunable\b/i,
  /\bbroken\b|\bbreaks?\b/i,
  /\bfail(?:s|ed|ing|ure|ures)?\b/i,
  /\bslow(?:er|ly|ness)?\b/i,
  /\btakes? (?:forever|ages)\b/i,
  /\btim(?:e|ed|es) ?out\b|\btimeouts?\b/i,
  /\b(?:hangs?|hanging|freez(?:e|es|ing)|frozen|stuck)\b/i,
  /\bwish\b/i,
  /\bwould (?:be|love) (?:nice|great|helpful|useful|it)\b|\bit[’']?d be (?:nice|great)\b/i,
  /\bplease add\b|\bfeature request\b|\bshould be able\b|\bno way to\b/i,
  /\bmissing\b|\bwrong\b|\bincorrect(?:ly)?\b|\bmismatch/i,
  /\bbugs?\b|\bglitch/i,
  /\bconfus(?:ing|ed)\b|\bunclear\b|\bhard to find\b/i,
  /\b(?:lost|disappear(?:s|ed)?|vanish(?:es|ed)?)\b/i,
  /\bduplicat(?:e|es|ed)\b|\bcharged twice\b|\bdouble[- ]charged\b/i,
  /\bproblems?\b/i,
  /\bexceptions?\b|\b50[0-4]\b|\b40[134]\b|\bblank (?:page|screen)\b/i,
  /\bkeeps? (?:failing|crashing|logging|asking|timing)\b/i,
  /\bannoying\b|\bfrustrat(?:ing|ed)\b/i,
];

const NOT_A_PROBLEM: RegExp[] = [
  /\bno (?:problem|issue|worries)s?\b/i,
  /\bnot a problem\b/i,
  /\b(?:is|are|has been|have been|was) (?:now )?(?:fixed|resolved|working again)\b/i,
  /^\s*(?:thanks?|thank you|cheers|regards|best|hi|hello|dear)\b[^.!?]{0,30}[.!?]?\s*$/i,
];

/** Leading list markers, bracketed labels and short `Label:` prefixes; the remainder is still verbatim. */
const LABEL_PREFIX = /^(?:[-*•>]+\s*)?(?:\[[^\]\n]{0,80}\]\s*:?\s*)?(?:[A-Za-z][A-Za-z0-9 ()/#,.@'-]{0,60}?:\s+)?/;

function isProblem(s: string): boolean {
  return PROBLEM_PATTERNS.some((re) => re.test(s)) && !NOT_A_PROBLEM.some((re) => re.test(s));
}

/** Splits text into sentences with their offsets (lines first, then `.`, `!`, `?` followed by a space). */
export function splitSentences(text: string): ProblemSentence[] {
  const out: ProblemSentence[] = [];
  const re = /[^\n]+/g;
  let line: RegExpExecArray | null;
  while ((line = re.exec(text)) !== null) {
    const base = line.index;
    const l = line[0];
    let pos = 0;
    // A sentence ends at [.!?]+ followed by whitespace or the end of the line; offsets stay exact.
    const ends: number[] = [];
    const endRe = /[.!?]+(?=\s|$)/g;
    let m: RegExpExecArray | null;
    while ((m = endRe.exec(l)) !== null) ends.push(m.index + m[0].length);
    if (ends.length === 0 || ends[ends.length - 1] !== l.length) ends.push(l.length);
    for (const end of ends) {
      const raw = l.slice(pos, end);
      const lead = raw.length - raw.trimStart().length;
      const trimmed = raw.trim();
      if (trimmed !== '') {
        const start = base + pos + lead;
        out.push({ text: trimmed, start, end: start + trimmed.length });
      }
      pos = end;
    }
  }
  return out;
}

/**
 * Sentences that look like product problems (error / crash / can't / doesn't / broken / fails / slow / wish /
 * would be nice / …), each copied verbatim from `text` with a leading `Label:` or list marker removed.
 */
export function findProblemSentences(text: string, options: FindProblemSentencesOptions = {}): ProblemSentence[] {
  const max = options.max ?? 3;
  const seen = new Set<string>();
  const out: ProblemSentence[] = [];
  for (const s of splitSentences(text)) {
    if (out.length >= max) break;
    if (s.text.length < 12 || /^<\/?[a-z_][\w-]*[^>]*>$/i.test(s.text)) continue;
    if (!isProblem(s.text)) continue;
    let sentence = s;
    const prefix = LABEL_PREFIX.exec(s.text);
    if (prefix && prefix[0].length > 0 && prefix[0].length < s.text.length) {
      const rest = s.text.slice(prefix[0].length);
      if (rest.length >= 12 && rest.split(/\s+/).length >= 3) {
        sentence = { text: rest, start: s.start + prefix[0].length, end: s.end };
      }
    }
    const key = sentence.text.toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) continue;
    seen.add(key);
    // The same problem said twice (a subject line and the sentence that details it): keep the longer wording.
    const same = out.findIndex((o) => sameProblem(o.text, sentence.text));
    if (same >= 0) {
      if (sentence.text.length > (out[same] as ProblemSentence).text.length) out[same] = sentence;
      continue;
    }
    out.push(sentence);
  }
  return out;
}

const COMMON_WORDS = new Set(
  (
    'a about after again all also am an and any are as at be been before being but by can could did do does doing for from ' +
    'get gets got had has have having he her here hi hello hey him his how i if in into is it its just me more most my no nor ' +
    'not now of on once only or other our out over please same she should since so some such than thank thanks that the their them ' +
    'then there these they this those through to too team under until up us very was we were what when where which while who why ' +
    'will with would you your yours yet still even every each one two three since monday tuesday wednesday thursday friday ' +
    'saturday sunday today yesterday week month also nice need needs want wants like really'
  ).split(' '),
);

function contentStems(s: string): Set<string> {
  return new Set(
    (s.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((w) => !COMMON_WORDS.has(w)).map((w) => w.slice(0, 5)),
  );
}

function sameProblem(a: string, b: string): boolean {
  const sa = contentStems(a);
  const sb = contentStems(b);
  const [small, big] = sa.size <= sb.size ? [sa, sb] : [sb, sa];
  if (small.size < 2) return false;
  let shared = 0;
  for (const w of small) if (big.has(w)) shared++;
  return shared / small.size >= 0.6;
}

// ---------------------------------------------------------------------------------------------------------------
// Enum picking by keyword

const STOP_TOKENS = new Set([
  'a',
  'an',
  'and',
  'or',
  'of',
  'to',
  'for',
  'with',
  'the',
  'in',
  'on',
  'other',
  'general',
  'misc',
  'issue',
  'issues',
  'request',
  'requests',
  'type',
  'gap',
  'n',
  'na',
  'none',
  'unknown',
  'not',
  'applicable',
]);

/** Words whose presence in a sentence suggests an enum value containing the key token. */
const SYNONYMS: Record<string, RegExp> = {
  bug: /\berrors?\b|\bcrash|\bbroken\b|\bfail|\bdoesn[’']?t work|\bnot working|\bexception|\b50\d\b|\bbugs?\b|\bglitch/i,
  friction:
    /\bslow|\btedious|\btoo many\b|\btakes? (?:too )?long|\bannoying|\bcumbersome|\bmanually\b|\bevery (?:single )?time\b|\bforever\b/i,
  confusion: /\bconfus|\bcan[’']?t find\b|\bunclear|\bwhere (?:is|do)\b|\bhow do i\b|\bnot obvious|\bhard to find/i,
  ux: /\bconfus|\bunclear|\bnot obvious|\bhard to find/i,
  feature:
    /\bwish\b|\bwould (?:be|love)\b|\bit[’']?d be\b|\bplease add\b|\bfeature\b|\bshould be able\b|\bsupport for\b|\bability to\b|\bno way to\b/i,
  documentation:
    /\bdocs?\b|\bdocumentation\b|\bguide\b|\bhelp (?:center|article)\b|\binstructions\b|\bnot documented\b/i,
  docs: /\bdocs?\b|\bdocumentation\b|\bguide\b/i,
  data: /\bdata\b|\bmissing\b|\bduplicat|\bnumbers?\b|\bmismatch|\bwrong (?:amount|total|count|value)|\bincorrect (?:totals?|values?|numbers?)/i,
  critical:
    /\bdata loss\b|\blost (?:all|data|our)\b|\boutage\b|\bdown\b|\bsecurity\b|\bbreach\b|\ball (?:of our )?users\b|\bcharged twice\b|\bdouble[- ]charged\b|\bovercharg|\bcompliance\b|\bcompletely\b|\bblock(?:ed|er|ing)\b|\bproduction\b|\burgent\b/i,
  high: /\bcrash|\berrors?\b|\bfail|\bbroken\b|\bcan[’']?t\b|\bcannot\b|\bunable\b|\bexception/i,
  medium: /\bslow|\bsometimes\b|\bintermittent|\boccasionally\b|\bworkaround\b|\bconfus/i,
  low: /\bwish\b|\bwould be nice\b|\bminor\b|\bcosmetic\b|\btypo\b|\bsmall\b|\bnice to have\b/i,
  billing:
    /\binvoices?\b|\bcharg|\bpayments?\b|\bsubscription|\brefund|\bbilling\b|\bprice|\bpricing\b|\bcredit card\b/i,
  payments: /\bpayments?\b|\bcharg|\bcredit card\b|\brefund/i,
  invoices: /\binvoices?\b/i,
  login: /\blog ?in\b|\bsign ?in\b|\bsso\b|\bpassword\b|\b2fa\b|\bmfa\b|\bsaml\b|\blogged out\b/i,
  sso: /\bsso\b|\bsaml\b|\bokta\b|\bazure ad\b|\bsingle sign/i,
  authentication: /\blog ?in\b|\bsign ?in\b|\bsso\b|\bpassword\b|\b2fa\b|\bmfa\b|\bsaml\b/i,
  auth: /\blog ?in\b|\bsign ?in\b|\bsso\b|\bpassword\b/i,
  export: /\bexport|\bcsv\b|\bdownload|\bpdf\b|\bxlsx?\b/i,
  exports: /\bexport|\bcsv\b|\bdownload/i,
  import: /\bimport|\bupload/i,
  integrations:
    /\bintegrations?\b|\bsalesforce\b|\bslack\b|\bhubspot\b|\bzapier\b|\bwebhooks?\b|\bjira\b|\bgoogle sheets\b/i,
  integration: /\bintegrations?\b|\bsalesforce\b|\bslack\b|\bhubspot\b|\bzapier\b|\bwebhooks?\b/i,
  api: /\bapi\b|\bwebhooks?\b|\bendpoint|\brate limit|\btoken\b/i,
  webhooks: /\bwebhooks?\b/i,
  dashboards: /\bdashboards?\b|\bcharts?\b|\bwidgets?\b|\bgraphs?\b/i,
  dashboard: /\bdashboards?\b|\bcharts?\b|\bwidgets?\b/i,
  reporting: /\breports?\b|\breporting\b|\bcharts?\b|\banalytics\b/i,
  reports: /\breports?\b|\breporting\b/i,
  notifications: /\bnotifications?\b|\balerts?\b|\bemails? (?:alert|notification)|\bdigest\b/i,
  mobile: /\bmobile\b|\bios\b|\bandroid\b|\biphone\b|\bipad\b|\bapp store\b|\bthe app\b/i,
  ios: /\bios\b|\biphone\b|\bipad\b/i,
  android: /\bandroid\b/i,
  web: /\bbrowser\b|\bchrome\b|\bfirefox\b|\bsafari\b|\bweb\b/i,
  performance:
    /\bslow|\btimeouts?\b|\btim(?:e|ed) ?out\b|\blatency\b|\bload(?:ing)? time|\bhang|\bspinner\b|\bforever\b/i,
  permissions: /\bpermissions?\b|\broles?\b|\baccess\b|\badmin\b|\bviewer\b|\beditor\b/i,
  account: /\baccount\b|\bprofile\b|\bseats?\b|\busers? settings\b/i,
  onboarding: /\bonboarding\b|\bsetup\b|\bset up\b|\bgetting started\b/i,
  search: /\bsearch|\bfilter/i,
  security: /\bsecurity\b|\bbreach\b|\bvulnerab|\bleak/i,
  enterprise: /\benterprise\b/i,
  admin: /\badmin/i,
};

function tokensOf(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 2 && !STOP_TOKENS.has(t));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How well an enum value (and its optional description) fits a sentence: 0 means no evidence. */
export function scoreEnumValue(value: unknown, focus: string, description?: string): number {
  if (typeof value !== 'string' || focus === '') return 0;
  let score = 0;
  for (const token of tokensOf(value)) {
    const syn = SYNONYMS[token];
    if (syn && syn.test(focus)) {
      score += 3;
      continue;
    }
    if (token.length >= 3) {
      const stem = token.length > 5 ? token.slice(0, token.length - 2) : token;
      if (new RegExp(`\\b${escapeRe(stem)}`, 'i').test(focus)) score += 2;
    }
  }
  if (description) {
    let hits = 0;
    for (const word of new Set(description.toLowerCase().match(/[a-z]{4,}/g) ?? [])) {
      if (STOP_TOKENS.has(word) || hits >= 3) continue;
      if (new RegExp(`\\b${escapeRe(word)}`, 'i').test(focus)) hits++;
    }
    score += hits;
  }
  return score;
}

const NO_ISSUE_VALUE =
  /^(?:no|none|not|without|nothing)(?:[_\s-]|$)|(?:^|[_\s-])(?:no|none)(?:[_\s-]|$)|no_?issue|no_?problem/i;
const ISSUE_FOUND_VALUE = /found|present|yes|true|detected|issues?$|problems?$|has_/i;

/** Picks an enum value: by the "issues found / no issue" status when the field is status-like, else by keyword. */
function pickEnum(
  values: unknown[],
  ctx: WalkCtx,
  fieldName: string,
  descriptions?: Array<string | undefined>,
): unknown {
  if (values.length === 0) return null;
  let candidates = values.map((v, i) => ({ v, d: descriptions?.[i] }));

  // Hierarchical values ("billing/invoices", "billing > invoices"): keep those under an already chosen sibling.
  const siblingValues = Object.values(ctx.siblings).filter((x): x is string => typeof x === 'string');
  const under = candidates.filter(({ v }) => {
    if (typeof v !== 'string') return false;
    const m = /^(.+?)\s*(?:\/|>|::|:|\.|\|)\s*.+$/.exec(v);
    return m !== null && siblingValues.some((s) => s.toLowerCase() === (m[1] ?? '').toLowerCase());
  });
  if (under.length > 0) candidates = under;

  const strings = candidates.filter((c): c is { v: string; d: string | undefined } => typeof c.v === 'string');
  const statusLike =
    /status|outcome|result|verdict|classification|finding/i.test(fieldName) ||
    strings.some((c) => NO_ISSUE_VALUE.test(c.v));
  if (statusLike && strings.some((c) => NO_ISSUE_VALUE.test(c.v))) {
    if (!ctx.state.hasIssues) {
      const no = strings.find((c) => NO_ISSUE_VALUE.test(c.v));
      if (no) return no.v;
    } else if (!ctx.inIssue) {
      const yes = strings.find(
        (c) => ISSUE_FOUND_VALUE.test(c.v) && !NO_ISSUE_VALUE.test(c.v) && !/fail|error/i.test(c.v),
      );
      if (yes) return yes.v;
    }
  }

  let best = candidates[0];
  let bestScore = 0;
  for (const c of candidates) {
    if (statusLike && typeof c.v === 'string' && /fail|error/i.test(c.v)) continue;
    const s = scoreEnumValue(c.v, ctx.focus, c.d);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  // Nothing in the sentence points at a value: a nullable enum says "not stated".
  if (bestScore === 0 && !statusLike && candidates.some((c) => c.v === null)) return null;
  if (bestScore === 0 && statusLike) {
    const firstUsable = candidates.find((c) => !(typeof c.v === 'string' && /fail|error/i.test(c.v)));
    if (firstUsable) best = firstUsable;
  }
  return best?.v ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema walker

export interface SchemaInputOptions {
  /** The ticket text: the source of every quote (copied verbatim from it). */
  text: string;
  /** The problems to report; default `findProblemSentences(text)`. Pass `[]` for a "no issue" answer. */
  problems?: ProblemSentence[];
  /** Also fill optional properties (default true); required ones are always filled. */
  fillOptional?: boolean;
  /** For `format: date-time` / `date` strings (default `Date.now()`). */
  now?: number;
}

interface WalkState {
  root: AnthropicJsonSchema;
  text: string;
  problems: ProblemSentence[];
  hasIssues: boolean;
  issuesPlaced: boolean;
  fillOptional: boolean;
  now: number;
}

interface WalkCtx {
  state: WalkState;
  /** Text used for keyword picks and string values at this point. */
  focus: string;
  /** The verbatim sentence this part of the answer is about. */
  sentence: ProblemSentence | undefined;
  inIssue: boolean;
  /** Values already produced in the enclosing object (for hierarchical enums). */
  siblings: Record<string, unknown>;
  depth: number;
}

const QUOTE_FIELD = /quote|excerpt|verbatim|evidence|citation|snippet|cited/i;
const SUMMARY_FIELD = /summary|title|headline|^name$|label|short/i;
const DETAIL_FIELD = /detail|description|explanation|context|rationale|impact|steps|expected|actual|notes?$/i;
const REASON_FIELD = /reason|why|justification|explain/i;
const CONFIDENCE_FIELD = /confidence|certainty|probability|likelihood|score/i;
const WORKAROUND_FIELD = /workaround/i;
const BLOCKING_FIELD = /block|urgent/i;
const KEYWORDS_FIELD = /keyword|tag|term|phrase|topic/i;

/**
 * Builds a value that is valid against `schema` from the ticket text: one array item per problem sentence for the
 * first array of objects (the "issues" list), enums chosen by keyword (else the first value), quote-like strings
 * copied verbatim, summary-like strings ≤ 200 characters, status-like enums set to "issues found" / "no issue".
 */
export function buildInputFromSchema(schema: AnthropicJsonSchema, options: SchemaInputOptions): unknown {
  const problems = options.problems ?? findProblemSentences(options.text);
  const state: WalkState = {
    root: schema,
    text: options.text,
    problems,
    hasIssues: problems.length > 0,
    issuesPlaced: false,
    fillOptional: options.fillOptional ?? true,
    now: options.now ?? Date.now(),
  };
  const first = problems[0] ?? firstSentence(options.text);
  return walk(schema, '', { state, focus: first?.text ?? '', sentence: first, inIssue: false, siblings: {}, depth: 0 });
}

function firstSentence(text: string): ProblemSentence | undefined {
  return splitSentences(text).find((s) => s.text.length >= 3 && !/^<[^>]*>$/.test(s.text));
}

function walk(schemaIn: AnthropicJsonSchema, name: string, ctx: WalkCtx): unknown {
  if (ctx.depth > 32) return null;
  const schema = deref(ctx.state.root, schemaIn);
  if (schema === true) return walkString({}, name, ctx);
  if (schema === false) return null;

  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum'])) return pickEnum(schema['enum'] as unknown[], ctx, name);

  if (Array.isArray(schema['allOf']) && schema['allOf'].length > 0)
    return walk(mergeAllOf(ctx.state.root, schema), name, ctx);

  const variants = (
    Array.isArray(schema['anyOf']) ? schema['anyOf'] : Array.isArray(schema['oneOf']) ? schema['oneOf'] : undefined
  ) as AnthropicJsonSchema[] | undefined;
  if (variants && variants.length > 0) {
    const resolved = variants.map((v) => deref(ctx.state.root, v));
    const nonNull = resolved.filter(
      (v) => !(isPlainObject(v) && schemaTypes(v).length === 1 && schemaTypes(v)[0] === 'null'),
    );
    const pool = nonNull.length > 0 ? nonNull : resolved;
    // A list of consts (with descriptions) is an enum in disguise.
    if (pool.every((v) => isPlainObject(v) && 'const' in v)) {
      const objs = pool as JsonObjectSchema[];
      return pickEnum(
        objs.map((v) => v['const']),
        ctx,
        name,
        objs.map((v) =>
          typeof v['description'] === 'string'
            ? v['description']
            : typeof v['title'] === 'string'
              ? v['title']
              : undefined,
        ),
      );
    }
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    void _a;
    void _o;
    const best = bestVariant(pool, ctx);
    const merged = isPlainObject(best) && Object.keys(rest).length > 0 ? mergeSchemas(rest, best) : best;
    return walk(merged, name, { ...ctx, depth: ctx.depth + 1 });
  }

  const types = schemaTypes(schema);
  const type =
    types.find((t) => t !== 'null') ??
    (types[0] === 'null'
      ? 'null'
      : isPlainObject(schema['properties'])
        ? 'object'
        : schema['items'] !== undefined
          ? 'array'
          : 'string');

  switch (type) {
    case 'object':
      return walkObject(schema, ctx);
    case 'array':
      return walkArray(schema, name, ctx);
    case 'integer':
    case 'number':
      return walkNumber(schema, name, type === 'integer');
    case 'boolean':
      return walkBoolean(name, ctx);
    case 'null':
      return null;
    default:
      return walkString(schema, name, ctx);
  }
}

function mergeSchemas(a: JsonObjectSchema, b: JsonObjectSchema): JsonObjectSchema {
  const out: JsonObjectSchema = { ...a, ...b };
  if (isPlainObject(a['properties']) || isPlainObject(b['properties'])) {
    out['properties'] = {
      ...(isPlainObject(a['properties']) ? a['properties'] : {}),
      ...(isPlainObject(b['properties']) ? b['properties'] : {}),
    };
  }
  if (Array.isArray(a['required']) || Array.isArray(b['required'])) {
    out['required'] = [
      ...new Set([
        ...(Array.isArray(a['required']) ? a['required'] : []),
        ...(Array.isArray(b['required']) ? b['required'] : []),
      ]),
    ];
  }
  return out;
}

function mergeAllOf(root: AnthropicJsonSchema, schema: JsonObjectSchema): JsonObjectSchema {
  const { allOf, ...rest } = schema;
  let out: JsonObjectSchema = rest;
  for (const sub of allOf as AnthropicJsonSchema[]) {
    const d = deref(root, sub);
    if (isPlainObject(d)) out = mergeSchemas(out, d);
  }
  return out;
}

/** Among object variants, the one whose const/enum values best fit the sentence (ties: the first). */
function bestVariant(pool: AnthropicJsonSchema[], ctx: WalkCtx): AnthropicJsonSchema {
  let best = pool[0] as AnthropicJsonSchema;
  let bestScore = 0;
  for (const v of pool) {
    if (!isPlainObject(v) || !isPlainObject(v['properties'])) continue;
    let score = 0;
    for (const p of Object.values(v['properties'] as Record<string, AnthropicJsonSchema>)) {
      const d = deref(ctx.state.root, p);
      if (!isPlainObject(d)) continue;
      if ('const' in d) score += scoreEnumValue(d['const'], ctx.focus);
      else if (Array.isArray(d['enum']))
        score += Math.max(0, ...(d['enum'] as unknown[]).map((e) => scoreEnumValue(e, ctx.focus)));
    }
    if (score > bestScore) {
      best = v;
      bestScore = score;
    }
  }
  return best;
}

function walkObject(schema: JsonObjectSchema, ctx: WalkCtx): Record<string, unknown> {
  const props = isPlainObject(schema['properties'])
    ? (schema['properties'] as Record<string, AnthropicJsonSchema>)
    : {};
  const required = new Set(
    Array.isArray(schema['required'])
      ? (schema['required'] as unknown[]).filter((k): k is string => typeof k === 'string')
      : [],
  );
  const out: Record<string, unknown> = {};
  const child: WalkCtx = { ...ctx, siblings: out, depth: ctx.depth + 1 };
  for (const [key, sub] of Object.entries(props)) {
    if (!required.has(key) && !ctx.state.fillOptional) continue;
    out[key] = walk(sub, key, child);
  }
  // Required keys without a property schema: any value is valid.
  for (const key of required) {
    if (!(key in out)) out[key] = walkString({}, key, child);
  }
  return out;
}

function walkArray(schema: JsonObjectSchema, name: string, ctx: WalkCtx): unknown[] {
  const itemsSchema: AnthropicJsonSchema =
    schema['items'] !== undefined && (typeof schema['items'] === 'boolean' || isPlainObject(schema['items']))
      ? schema['items']
      : {};
  const items = deref(ctx.state.root, itemsSchema);
  const minItems = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
  const maxItems = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : Infinity;
  const next: WalkCtx = { ...ctx, depth: ctx.depth + 1 };

  const objectLike = (x: AnthropicJsonSchema): boolean => {
    const d = deref(ctx.state.root, x);
    if (!isPlainObject(d)) return false;
    if (schemaTypes(d).includes('object') || isPlainObject(d['properties'])) return true;
    const subs = [d['allOf'], d['anyOf'], d['oneOf']].filter(Array.isArray) as AnthropicJsonSchema[][];
    return subs.some((list) => list.some((sub) => objectLike(sub)));
  };
  const isObjectItems = objectLike(items);
  if (isObjectItems && !ctx.inIssue && !ctx.state.issuesPlaced) {
    // The issue list: one item per problem sentence.
    ctx.state.issuesPlaced = true;
    const sentences = ctx.state.problems.slice(0, Number.isFinite(maxItems) ? maxItems : undefined);
    const out = sentences.map((s) =>
      walk(items, name, { ...next, focus: s.text, sentence: s, inIssue: true, siblings: {} }),
    );
    const filler = ctx.sentence ?? firstSentence(ctx.state.text);
    while (out.length < minItems) {
      out.push(
        walk(items, name, { ...next, focus: filler?.text ?? '', sentence: filler, inIssue: true, siblings: {} }),
      );
    }
    return out;
  }

  if (
    isPlainObject(items) &&
    (Array.isArray(items['enum']) ||
      (Array.isArray(items['anyOf'] ?? items['oneOf']) &&
        ((items['anyOf'] ?? items['oneOf']) as unknown[]).every((v) => isPlainObject(v) && 'const' in v)))
  ) {
    const values: unknown[] = Array.isArray(items['enum'])
      ? (items['enum'] as unknown[])
      : ((items['anyOf'] ?? items['oneOf']) as JsonObjectSchema[]).map((v) => v['const']);
    const scored = values.filter((v) => scoreEnumValue(v, ctx.focus) > 0);
    const out: unknown[] = scored.slice(0, Number.isFinite(maxItems) ? maxItems : undefined);
    for (const v of values) {
      if (out.length >= minItems) break;
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }

  const out: unknown[] = [];
  const wantKeywords =
    KEYWORDS_FIELD.test(name) &&
    isPlainObject(items) &&
    (schemaTypes(items).includes('string') || schemaTypes(items).length === 0);
  const count = Math.min(Math.max(minItems, wantKeywords ? 3 : 0), maxItems);
  if (wantKeywords) {
    const words = [
      ...new Set(
        (ctx.focus.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) ?? []).filter(
          (w) => !STOP_TOKENS.has(w) && !COMMON_WORDS.has(w),
        ),
      ),
    ];
    for (const w of words) {
      if (out.length >= count) break;
      const errs =
        isPlainObject(items) && typeof items['maxLength'] === 'number' && w.length > items['maxLength'] ? 1 : 0;
      if (!errs) out.push(w);
    }
  }
  let guard = 0;
  while (out.length < count && guard++ < 1000) {
    const v = walk(itemsSchema, name, next);
    if (schema['uniqueItems'] === true && out.some((o) => JSON.stringify(o) === JSON.stringify(v))) {
      if (typeof v === 'string') out.push(`${v} ${out.length + 1}`);
      else if (typeof v === 'number') out.push(v + out.length);
      else break;
    } else {
      out.push(v);
    }
  }
  return out;
}

function walkNumber(schema: JsonObjectSchema, name: string, integer: boolean): number {
  const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
  const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
  const xmin = typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] : undefined;
  const xmax = typeof schema['exclusiveMaximum'] === 'number' ? schema['exclusiveMaximum'] : undefined;
  let v: number;
  if (CONFIDENCE_FIELD.test(name)) {
    const top = max ?? (xmax !== undefined ? xmax : 1);
    v = top > 1 ? top * 0.8 : 0.8;
  } else {
    v = 1;
  }
  const step = integer ? 1 : 0.001;
  if (min !== undefined && v < min) v = min;
  if (xmin !== undefined && v <= xmin) v = xmin + step;
  if (max !== undefined && v > max) v = max;
  if (xmax !== undefined && v >= xmax) v = xmax - step;
  if (integer) {
    v = Math.round(v);
    if (min !== undefined && v < min) v = Math.ceil(min);
    if (max !== undefined && v > max) v = Math.floor(max);
  }
  if (typeof schema['multipleOf'] === 'number' && schema['multipleOf'] > 0) {
    const m = schema['multipleOf'];
    v = Math.round(v / m) * m;
    if (min !== undefined && v < min) v += m;
    if (max !== undefined && v > max) v -= m;
    v = Number(v.toFixed(10));
  }
  return v;
}

function walkBoolean(name: string, ctx: WalkCtx): boolean {
  if (WORKAROUND_FIELD.test(name))
    return /\bworkaround\b|\bwork around\b|\binstead\b|\bin the meantime\b|\bfor now\b|\bmanually\b/i.test(ctx.focus);
  if (BLOCKING_FIELD.test(name))
    return /\bblock(?:ed|er|ing)\b|\burgent\b|\bcan[’']?t (?:work|use)\b|\bcompletely\b/i.test(ctx.focus);
  return false;
}

function clip(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 1) return chars.slice(0, max).join('');
  const cut = chars.slice(0, max - 1).join('');
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).trimEnd()}…`;
}

/** A verbatim prefix of `s` of at most `max` characters, cut at a word boundary when possible. */
function verbatimPrefix(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  const cut = chars.slice(0, max).join('');
  const sp = cut.lastIndexOf(' ');
  return (sp > max * 0.6 ? cut.slice(0, sp) : cut).trimEnd();
}

/** A sentence without greeting or connector, capitalised: "Hi team, the export fails." → "The export fails." */
function summarize(sentence: string): string {
  let s = sentence.replace(/\s+/g, ' ').trim();
  s = s.replace(/^(?:hi|hello|hey|dear)\b[^,.!?]{0,30}[,!]\s*/i, '');
  s = s.replace(/^(?:also|and|but|so|plus|however|unfortunately|sadly|btw|by the way),?\s+/i, '');
  return s === '' ? sentence : s.charAt(0).toUpperCase() + s.slice(1);
}

function walkString(schema: JsonObjectSchema, name: string, ctx: WalkCtx): string {
  const maxLength = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const format = typeof schema['format'] === 'string' ? schema['format'] : undefined;
  const iso = new Date(ctx.state.now).toISOString();
  let value: string;
  const sentence = ctx.sentence?.text ?? '';
  const noIssueTopLevel = !ctx.inIssue && !ctx.state.hasIssues;

  if (format === 'date-time') value = iso;
  else if (format === 'date') value = iso.slice(0, 10);
  else if (format === 'time') value = iso.slice(11, 19) + 'Z';
  else if (format === 'email') value = 'someone@example.invalid';
  else if (format === 'uri' || format === 'url') value = 'https://example.invalid/';
  else if (format === 'uuid') value = '00000000-0000-4000-8000-000000000000';
  else if (QUOTE_FIELD.test(name)) {
    value = verbatimPrefix(sentence, Math.min(maxLength, 300));
  } else if (REASON_FIELD.test(name) && !ctx.inIssue) {
    value = noIssueTopLevel
      ? 'The ticket does not describe a product problem.'
      : `The ticket describes ${ctx.state.problems.length} product problem${ctx.state.problems.length === 1 ? '' : 's'}.`;
    value = clip(value, maxLength);
  } else if (SUMMARY_FIELD.test(name)) {
    value = clip(
      noIssueTopLevel && sentence === '' ? 'No product issue reported' : summarize(sentence),
      Math.min(maxLength, 200),
    );
  } else if (DETAIL_FIELD.test(name)) {
    value = clip(
      sentence === ''
        ? 'No product problem is described in the ticket.'
        : `The customer reports: ${sentence.replace(/\s+/g, ' ')}`,
      Math.min(maxLength, 600),
    );
  } else {
    value = clip(sentence.replace(/\s+/g, ' ') || 'n/a', Math.min(maxLength, 200));
  }

  if (typeof schema['pattern'] === 'string') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema['pattern'], 'u');
    } catch {
      re = undefined;
    }
    if (re && !re.test(value)) {
      const fallback = ['unknown', 'other', 'n/a', 'a', 'A', '0', 'x', 'ABC-1', iso.slice(0, 10), iso].find(
        (c) => re.test(c) && c.length >= minLength && c.length <= maxLength,
      );
      if (fallback !== undefined) value = fallback;
    }
  }
  if ([...value].length < minLength) {
    // Extend a quote with the text that follows it (still verbatim); pad anything else.
    if (QUOTE_FIELD.test(name) && ctx.sentence) {
      value = ctx.state.text.slice(ctx.sentence.start, ctx.sentence.start + Math.max(minLength, value.length));
    }
    while ([...value].length < minLength) value += value.length > 0 ? ` ${value}` : 'n/a';
    value = [...value].slice(0, Math.max(minLength, Math.min(maxLength, [...value].length))).join('');
  }
  return value;
}
