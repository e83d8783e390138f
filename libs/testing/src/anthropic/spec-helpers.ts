/**
 * Helpers for the stub's own specs (not exported from the library): requests shaped like the SDK's, a manual
 * clock, and an extraction tool like the product's.
 */
import { ANTHROPIC_API_VERSION, ANTHROPIC_STUB_API_KEY } from './stub';
import type { AnthropicStubClock } from './types';

export class ManualClock implements AnthropicStubClock {
  constructor(private t = Date.UTC(2026, 2, 10, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Sends a request the way `@anthropic-ai/sdk` does: x-api-key, anthropic-version, JSON body. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<ApiResponse> {
  const h: Record<string, string> = {};
  const merged: Record<string, string | undefined> = {
    accept: 'application/json',
    'content-type': body === undefined ? undefined : 'application/json',
    'x-api-key': ANTHROPIC_STUB_API_KEY,
    'anthropic-version': ANTHROPIC_API_VERSION,
    'x-stainless-retry-count': '0',
    ...headers,
  };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) h[k] = v;
  const res = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export const SONNET = 'claude-sonnet-4-5-20250929';
export const HAIKU = 'claude-haiku-4-5-20251001';

export const ISSUE_TYPES = ['bug', 'friction', 'ux_confusion', 'feature_request', 'documentation_gap', 'data_issue'];
export const SEVERITIES = ['critical', 'high', 'medium', 'low'];

/** A forced-tool extraction schema shaped like the product's (enums from a taxonomy, nested, required fields). */
export const EXTRACTION_TOOL = {
  name: 'record_ticket_analysis',
  description: 'Record the product problems the ticket reports.',
  input_schema: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['issues_found', 'no_product_issue'] },
      reason: { type: 'string', maxLength: 300 },
      issues: {
        type: 'array',
        maxItems: 5,
        items: {
          type: 'object',
          properties: {
            category: {
              type: 'string',
              enum: ['billing', 'sso_login', 'data_export', 'integrations', 'dashboards', 'performance', 'other'],
            },
            subcategory: {
              type: 'string',
              enum: [
                'billing/invoices',
                'billing/payments',
                'sso_login/saml',
                'data_export/csv',
                'data_export/pdf',
                'integrations/salesforce',
                'dashboards/sharing',
                'dashboards/charts',
                'performance/load_time',
                'other/general',
              ],
            },
            issue_type: { type: 'string', enum: ISSUE_TYPES },
            severity: { type: 'string', enum: SEVERITIES },
            summary: { type: 'string', minLength: 10, maxLength: 200 },
            detail: { type: 'string' },
            representative_quote: { type: 'string' },
            confidence: { type: 'number', minimum: 0, maximum: 1 },
            platform: { type: ['string', 'null'], enum: ['web', 'ios', 'android', 'api', null] },
            has_workaround: { type: 'boolean' },
            business_impact: {
              type: 'object',
              properties: {
                level: { type: 'string', enum: ['none', 'revenue', 'compliance', 'productivity'] },
                note: { type: 'string', maxLength: 120 },
              },
              required: ['level', 'note'],
              additionalProperties: false,
            },
            keywords: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 5 },
          },
          required: [
            'category',
            'subcategory',
            'issue_type',
            'severity',
            'summary',
            'detail',
            'representative_quote',
            'confidence',
            'platform',
            'has_workaround',
            'business_impact',
            'keywords',
          ],
          additionalProperties: false,
        },
      },
    },
    required: ['status', 'reason', 'issues'],
    additionalProperties: false,
  },
};

export const TICKET_WITH_PROBLEMS = [
  'Subject: CSV export fails for large reports',
  'Hi team, since Monday the CSV export fails with error 500 whenever the report has more than 10k rows.',
  'We need this for our month-end close. Also, it would be nice if dashboards could be shared with a public link.',
  'Thanks, Jane',
].join('\n');

export const TICKET_WITHOUT_PROBLEMS = [
  'Subject: Thank you!',
  'Hi, just wanted to say the new onboarding call was great and the team loved the walkthrough.',
  'Thanks again, Bob',
].join('\n');

/** Messages params for the extraction tool, like the product's analyzer sends them. */
export function extractionParams(ticket: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: SONNET,
    max_tokens: 2048,
    system: 'You extract product problems from support tickets.',
    tools: [EXTRACTION_TOOL],
    tool_choice: { type: 'tool', name: EXTRACTION_TOOL.name },
    messages: [{ role: 'user', content: `Analyze this ticket.\n<ticket id="1">\n${ticket}\n</ticket>` }],
    ...extra,
  };
}
