import { ExtractedIssue, PLATFORMS, Platform } from '../analyzer';
import { ISSUE_TYPES, IssueType, SEVERITIES, Severity, subcategoryPaths, Taxonomy } from '../taxonomy/taxonomy.types';

export const TOOL_NAME = 'record_ticket_analysis';
export const MAX_ISSUES = 5;
const LIMITS = { reason: 300, summary: 200, detail: 600, quote: 400, userSegment: 80, businessImpact: 300 };
/** The fields every issue of the answer has. */
const REQUIRED_ISSUE_FIELDS = [
  'category',
  'subcategory',
  'issue_type',
  'severity',
  'summary',
  'detail',
  'quote',
  'confidence',
];

/**
 * The forced tool: its enums come from the taxonomy, so the model can only answer with values the product
 * knows. The answer is validated again by `parseToolInput` (a model may still break a schema).
 */
export function toolDefinition(taxonomy: Taxonomy) {
  return {
    name: TOOL_NAME,
    description:
      'Record the product issues a support ticket reports (or that it reports none). Call exactly once per ticket.',
    input_schema: {
      type: 'object' as const,
      properties: {
        status: {
          type: 'string',
          enum: ['issues_found', 'no_product_issue'],
          description: 'issues_found when the issues list is not empty, else no_product_issue.',
        },
        reason: {
          type: 'string',
          maxLength: LIMITS.reason,
          description: 'One sentence: what the ticket is about and why it does or does not report a product issue.',
        },
        issues: {
          type: 'array',
          maxItems: MAX_ISSUES,
          items: {
            type: 'object',
            properties: {
              category: { type: 'string', enum: taxonomy.categories.map((c) => c.key) },
              subcategory: {
                type: 'string',
                enum: subcategoryPaths(taxonomy),
                description: 'category/subcategory; must belong to the chosen category.',
              },
              issue_type: { type: 'string', enum: [...ISSUE_TYPES] },
              severity: { type: 'string', enum: [...SEVERITIES] },
              summary: { type: 'string', minLength: 10, maxLength: LIMITS.summary },
              detail: { type: 'string', maxLength: LIMITS.detail },
              quote: {
                type: ['string', 'null'],
                maxLength: LIMITS.quote,
                description: "The customer's words, copied exactly from the ticket.",
              },
              confidence: { type: 'number', minimum: 0, maximum: 1 },
              platform: { type: ['string', 'null'], enum: [...PLATFORMS, null] },
              user_segment: { type: ['string', 'null'], maxLength: LIMITS.userSegment },
              has_workaround: { type: ['boolean', 'null'] },
              business_impact: { type: ['string', 'null'], maxLength: LIMITS.businessImpact },
            },
            required: [...REQUIRED_ISSUE_FIELDS],
            additionalProperties: false,
          },
        },
        frustration: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          description:
            "Optional. How frustrated the customer's own words read: 0 calm or pleased, 0.5 neutral, 1 angry.",
        },
      },
      required: ['status', 'reason', 'issues'],
      additionalProperties: false,
    },
  };
}

export interface ParsedAnswer {
  status: 'issues_found' | 'no_product_issue';
  reason: string;
  issues: ExtractedIssue[];
  /** The customer's frustration, 0–1, when the model gave it. */
  frustration?: number;
}

export type ParseResult = { ok: true; value: ParsedAnswer } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the tool input against the schema and the taxonomy; the first problem is named in `error`. */
export function parseToolInput(input: unknown, taxonomy: Taxonomy): ParseResult {
  const fail = (error: string): ParseResult => ({ ok: false, error });
  if (!isObject(input)) return fail('the answer is not an object');
  const allowedTop = new Set(['status', 'reason', 'issues', 'frustration']);
  const extra = Object.keys(input).find((k) => !allowedTop.has(k));
  if (extra) return fail(`unexpected field ${extra}`);
  const { status, reason, issues, frustration } = input;
  if (frustration !== undefined && (typeof frustration !== 'number' || !(frustration >= 0 && frustration <= 1)))
    return fail('frustration must be a number from 0 to 1');
  if (status !== 'issues_found' && status !== 'no_product_issue')
    return fail('status must be issues_found or no_product_issue');
  if (typeof reason !== 'string' || !reason.trim()) return fail('reason must be a non-empty string');
  if (reason.length > LIMITS.reason) return fail(`reason is longer than ${LIMITS.reason} characters`);
  if (!Array.isArray(issues)) return fail('issues must be an array');
  if (issues.length > MAX_ISSUES) return fail(`more than ${MAX_ISSUES} issues`);
  if (status === 'issues_found' && issues.length === 0) return fail('status issues_found with an empty issues list');
  if (status === 'no_product_issue' && issues.length > 0) return fail('status no_product_issue with issues');

  const categories = new Map(taxonomy.categories.map((c) => [c.key, c]));
  const out: ExtractedIssue[] = [];
  for (const [i, raw] of issues.entries()) {
    const issue = parseIssue(raw, `issues[${i}]`, categories);
    if (typeof issue === 'string') return fail(issue);
    out.push(issue);
  }
  const value: ParsedAnswer = { status, reason: reason.trim(), issues: out };
  if (typeof frustration === 'number') value.frustration = frustration;
  return { ok: true, value };
}

/** The fields an issue of the answer may have. */
const ISSUE_FIELDS = new Set([
  ...REQUIRED_ISSUE_FIELDS,
  'platform',
  'user_segment',
  'has_workaround',
  'business_impact',
]);

/** One issue of the answer checked against the schema and taxonomy; a string names its first problem. */
function parseIssue(
  raw: unknown,
  at: string,
  categories: ReadonlyMap<string, Taxonomy['categories'][number]>,
): ExtractedIssue | string {
  if (!isObject(raw)) return `${at} is not an object`;
  const unknown = Object.keys(raw).find((k) => !ISSUE_FIELDS.has(k));
  if (unknown) return `${at}.${unknown} is not a field of an issue`;
  const category = categories.get(raw['category'] as string);
  if (!category) return `${at}.category ${JSON.stringify(raw['category'])} is not in the taxonomy`;
  const path = raw['subcategory'];
  if (typeof path !== 'string') return `${at}.subcategory must be a string`;
  const slash = path.indexOf('/');
  const parent = slash >= 0 ? path.slice(0, slash) : category.key;
  const subKey = slash >= 0 ? path.slice(slash + 1) : path;
  if (parent !== category.key) return `${at}.subcategory ${path} does not belong to category ${category.key}`;
  if (!category.subcategories.some((s) => s.key === subKey))
    return `${at}.subcategory ${JSON.stringify(path)} is not in the taxonomy`;
  if (!ISSUE_TYPES.includes(raw['issue_type'] as IssueType)) return `${at}.issue_type is not a known issue type`;
  if (!SEVERITIES.includes(raw['severity'] as Severity)) return `${at}.severity is not a known severity`;
  const summary = raw['summary'];
  if (typeof summary !== 'string' || summary.trim().length < 10)
    return `${at}.summary must be a string of at least 10 characters`;
  if (summary.length > LIMITS.summary) return `${at}.summary is longer than ${LIMITS.summary} characters`;
  const detail = raw['detail'];
  if (typeof detail !== 'string') return `${at}.detail must be a string`;
  if (detail.length > LIMITS.detail) return `${at}.detail is longer than ${LIMITS.detail} characters`;
  const quote = raw['quote'];
  if (quote !== null && typeof quote !== 'string') return `${at}.quote must be a string or null`;
  if (typeof quote === 'string' && quote.length > LIMITS.quote)
    return `${at}.quote is longer than ${LIMITS.quote} characters`;
  const confidence = raw['confidence'];
  if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence < 0 || confidence > 1)
    return `${at}.confidence must be a number from 0 to 1`;
  const platform = raw['platform'] ?? null;
  if (platform !== null && !PLATFORMS.includes(platform as Platform)) return `${at}.platform is not known`;
  const optionalString = (key: string, max: number): string | null | { error: string } => {
    const v = raw[key] ?? null;
    if (v === null) return null;
    if (typeof v !== 'string') return { error: `${at}.${key} must be a string or null` };
    if (v.length > max) return { error: `${at}.${key} is longer than ${max} characters` };
    return v.trim() || null;
  };
  const userSegment = optionalString('user_segment', LIMITS.userSegment);
  if (typeof userSegment === 'object' && userSegment) return userSegment.error;
  const businessImpact = optionalString('business_impact', LIMITS.businessImpact);
  if (typeof businessImpact === 'object' && businessImpact) return businessImpact.error;
  const hasWorkaround = raw['has_workaround'] ?? null;
  if (hasWorkaround !== null && typeof hasWorkaround !== 'boolean')
    return `${at}.has_workaround must be a boolean or null`;
  return {
    category: category.key,
    subcategory: subKey,
    issueType: raw['issue_type'] as IssueType,
    severity: raw['severity'] as Severity,
    summary: summary.trim(),
    detail: detail.trim(),
    quote: typeof quote === 'string' && quote.trim() ? quote : null,
    confidence,
    platform: platform as Platform | null,
    userSegment: userSegment as string | null,
    hasWorkaround: hasWorkaround as boolean | null,
    businessImpact: businessImpact as string | null,
  };
}
