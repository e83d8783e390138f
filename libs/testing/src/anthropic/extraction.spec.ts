import { buildInputFromSchema, findProblemSentences, splitSentences } from './extraction';
import { AnthropicJsonSchema, validateJsonSchema } from './json-schema';
import { parsePartialJson, truncateJsonValue } from './partial-json';
import { EXTRACTION_TOOL, ISSUE_TYPES, TICKET_WITHOUT_PROBLEMS, TICKET_WITH_PROBLEMS } from './spec-helpers';

type Issue = Record<string, unknown>;

describe('findProblemSentences', () => {
  it('finds sentences that read like problems, verbatim, and skips pleasantries', () => {
    const found = findProblemSentences(TICKET_WITH_PROBLEMS);
    // The subject line and the sentence detailing it are one problem: the longer wording is kept.
    expect(found.map((s) => s.text)).toEqual([
      'Hi team, since Monday the CSV export fails with error 500 whenever the report has more than 10k rows.',
      'Also, it would be nice if dashboards could be shared with a public link.',
    ]);
    for (const s of found) expect(TICKET_WITH_PROBLEMS.slice(s.start, s.end)).toBe(s.text);
    expect(findProblemSentences(TICKET_WITHOUT_PROBLEMS)).toEqual([]);
  });

  it('recognises the usual ways customers describe problems', () => {
    const lines = [
      'The app crashes when I open the settings page on my iPhone.',
      "I can’t log in with SSO since yesterday's update.",
      'The dashboard is extremely slow to load in the morning.',
      "It doesn't sync the Salesforce contacts any more.",
      'I wish there was a dark mode for the reports page.',
      'The invoice total is wrong for March.',
    ];
    const found = findProblemSentences(lines.join('\n'), { max: 10 });
    expect(found.map((s) => s.text)).toEqual(lines);
  });

  it('ignores "no problem" and resolved statements', () => {
    expect(findProblemSentences('No problem at all, take your time.\nThe sync issue is now fixed, thank you.')).toEqual(
      [],
    );
  });

  it('caps the number of sentences and drops duplicates', () => {
    const text =
      'Export fails every day.\nExport fails every day.\nLogin is broken on Safari.\nThe page is slow for everyone.';
    expect(findProblemSentences(text, { max: 2 }).map((s) => s.text)).toEqual([
      'Export fails every day.',
      'Login is broken on Safari.',
    ]);
  });

  it('splits sentences with exact offsets', () => {
    const text = '  First one. Second one!  \nThird?';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(splitSentences(text).map((s) => s.text)).toEqual(['First one.', 'Second one!', 'Third?']);
  });
});

describe('buildInputFromSchema', () => {
  const schema = EXTRACTION_TOOL.input_schema as AnthropicJsonSchema;

  it('fills the product-like extraction schema with valid values built from the ticket', () => {
    const input = buildInputFromSchema(schema, { text: TICKET_WITH_PROBLEMS }) as {
      status: string;
      reason: string;
      issues: Issue[];
    };
    expect(validateJsonSchema(schema, input)).toEqual([]);
    expect(input.status).toBe('issues_found');
    expect(input.issues).toHaveLength(2);
    for (const issue of input.issues) {
      expect(TICKET_WITH_PROBLEMS).toContain(issue['representative_quote'] as string);
      expect((issue['summary'] as string).length).toBeLessThanOrEqual(200);
    }
    const [csv, wish] = input.issues as [Issue, Issue];
    expect(csv['category']).toBe('data_export');
    expect(csv['subcategory']).toBe('data_export/csv');
    expect(csv['summary']).toBe(
      'Since Monday the CSV export fails with error 500 whenever the report has more than 10k rows.',
    );
    expect(csv['platform']).toBeNull();
    expect(csv['issue_type']).toBe('bug');
    expect(csv['severity']).toBe('high');
    expect(wish['category']).toBe('dashboards');
    expect(wish['subcategory']).toMatch(/^dashboards\//);
    expect(wish['issue_type']).toBe('feature_request');
    expect(wish['severity']).toBe('low');
  });

  it('answers "no issue" with an empty list when nothing reads like a problem', () => {
    const input = buildInputFromSchema(schema, { text: TICKET_WITHOUT_PROBLEMS }) as {
      status: string;
      issues: unknown[];
      reason: string;
    };
    expect(validateJsonSchema(schema, input)).toEqual([]);
    expect(input).toMatchObject({ status: 'no_product_issue', issues: [] });
    expect(input.reason).toMatch(/does not describe a product problem/);
  });

  it('walks $ref, allOf, anyOf variants, oneOf consts with descriptions, nullable, bounds and patterns', () => {
    const nested: AnthropicJsonSchema = {
      type: 'object',
      $defs: {
        Severity: { type: 'string', enum: SEVERITY_ENUM },
        Kind: {
          oneOf: [
            { const: 'defect', description: 'Something is broken or shows an error' },
            { const: 'idea', description: 'A wish or suggestion for something new' },
          ],
        },
        Evidence: {
          type: 'object',
          properties: {
            excerpt: { type: 'string', maxLength: 60 },
            speaker: { type: 'string', enum: ['customer', 'agent'] },
          },
          required: ['excerpt', 'speaker'],
        },
        Finding: {
          allOf: [
            {
              type: 'object',
              properties: { kind: { $ref: '#/$defs/Kind' }, sev: { $ref: '#/$defs/Severity' } },
              required: ['kind', 'sev'],
            },
            {
              properties: {
                headline: { type: 'string', maxLength: 40 },
                evidence: { type: 'array', items: { $ref: '#/$defs/Evidence' }, minItems: 1 },
                votes: { type: 'integer', minimum: 3, maximum: 9 },
                ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5 },
                ticket_ref: { type: 'string', pattern: '^[A-Z]+-[0-9]+$' },
                owner: { anyOf: [{ type: 'null' }, { type: 'string', minLength: 2 }] },
                area: {
                  anyOf: [
                    {
                      type: 'object',
                      properties: { name: { const: 'exports' }, format: { enum: ['csv', 'pdf'] } },
                      required: ['name', 'format'],
                    },
                    {
                      type: 'object',
                      properties: { name: { const: 'dashboards' }, widget: { enum: ['chart', 'table'] } },
                      required: ['name', 'widget'],
                    },
                  ],
                },
                labels: {
                  type: 'array',
                  items: { type: 'string', enum: ['export', 'dashboards', 'login'] },
                  uniqueItems: true,
                },
                certainty_score: { type: 'integer', minimum: 0, maximum: 100 },
              },
              required: [
                'headline',
                'evidence',
                'votes',
                'ratio',
                'ticket_ref',
                'owner',
                'area',
                'labels',
                'certainty_score',
              ],
            },
          ],
        },
      },
      properties: {
        outcome: { type: 'string', enum: ['found', 'nothing', 'failed'] },
        findings: { type: 'array', items: { $ref: '#/$defs/Finding' }, minItems: 0, maxItems: 2 },
        meta: {
          type: 'object',
          properties: { analyzed_at: { type: 'string', format: 'date-time' } },
          required: ['analyzed_at'],
        },
      },
      required: ['outcome', 'findings', 'meta'],
      additionalProperties: false,
    };
    const input = buildInputFromSchema(nested, { text: TICKET_WITH_PROBLEMS, now: Date.UTC(2026, 0, 2) }) as {
      outcome: string;
      findings: Array<Record<string, unknown>>;
      meta: { analyzed_at: string };
    };
    expect(validateJsonSchema(nested, input)).toEqual([]);
    expect(input.outcome).toBe('found');
    expect(input.findings).toHaveLength(2);
    const [first, second] = input.findings as [Record<string, unknown>, Record<string, unknown>];
    expect(first['area']).toEqual({ name: 'exports', format: 'csv' });
    expect(second['kind']).toBe('defect');
    const evidence = first['evidence'] as Array<{ excerpt: string }>;
    expect(TICKET_WITH_PROBLEMS).toContain(evidence[0]?.excerpt);
    expect(first['labels']).toEqual(['export']);
    expect(first['certainty_score']).toBe(80);
    expect(input.meta.analyzed_at).toBe('2026-01-02T00:00:00.000Z');

    const none = buildInputFromSchema(nested, { text: TICKET_WITHOUT_PROBLEMS });
    expect(validateJsonSchema(nested, none)).toEqual([]);
    expect(none).toMatchObject({ outcome: 'nothing', findings: [] });
  });

  it('keeps quotes verbatim and summaries short for very long sentences', () => {
    const long = `The report export fails ${'with a long list of columns and filters '.repeat(12)}every single time.`;
    const input = buildInputFromSchema(schema, { text: long }) as { issues: Issue[] };
    const issue = input.issues[0] as Issue;
    const quote = issue['representative_quote'] as string;
    expect(long.startsWith(quote)).toBe(true);
    expect(quote.length).toBeLessThanOrEqual(300);
    expect(quote.length).toBeGreaterThan(200);
    expect((issue['summary'] as string).length).toBeLessThanOrEqual(200);
    expect(validateJsonSchema(schema, input)).toEqual([]);
  });

  it('produces valid input for every issue type a ticket can point at', () => {
    const tickets = [
      'The Salesforce integration crashes with an exception every night.',
      'It takes forever and far too many clicks to export a report.',
      "I'm confused: I can't find where to change the dashboard owner.",
      'The docs do not explain the webhook signature; the guide is missing it.',
      'The numbers on the revenue dashboard are wrong and duplicated.',
      'Would be nice to schedule PDF exports.',
    ];
    const types = tickets.map((t) => {
      const input = buildInputFromSchema(schema, { text: t }) as { issues: Issue[] };
      expect(validateJsonSchema(schema, input)).toEqual([]);
      return input.issues[0]?.['issue_type'];
    });
    expect(types).toEqual(['bug', 'friction', 'ux_confusion', 'documentation_gap', 'data_issue', 'feature_request']);
    expect(ISSUE_TYPES).toEqual(expect.arrayContaining(types as string[]));
  });
});

const SEVERITY_ENUM = ['critical', 'high', 'medium', 'low'];

describe('validateJsonSchema', () => {
  it('reports each violation with its path', () => {
    const schema = EXTRACTION_TOOL.input_schema as AnthropicJsonSchema;
    const errors = validateJsonSchema(schema, {
      status: 'maybe',
      issues: [{ category: 'billing', extra: 1 }],
      surprise: true,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/status: must be one of/),
        '/reason: is required',
        '/issues/0/severity: is required',
        '/issues/0/extra: is not allowed (additionalProperties is false)',
        '/surprise: is not allowed (additionalProperties is false)',
      ]),
    );
  });
});

describe('partial JSON (max_tokens cut-off)', () => {
  it('keeps complete members and drops the unfinished one', () => {
    expect(parsePartialJson('{"a":1,"b":[1,2,{"c":"x"},{"d":"unfini')).toEqual({ a: 1, b: [1, 2, { c: 'x' }, {}] });
    expect(parsePartialJson('{"a":12')).toEqual({});
    expect(parsePartialJson('{"a":"x","b')).toEqual({ a: 'x' });
    expect(truncateJsonValue({ a: 'x' }, 100)).toEqual({ a: 'x' });
    expect(truncateJsonValue({ a: 'x' }, 0)).toEqual({});
  });
});
