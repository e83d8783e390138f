import { AnalyzerTaxonomy, LocalAnalyzer as MiningEngine } from '@pim/text-mining';
import { AnalysisOutcome, AnalysisTicket, Analyzer, ExtractedIssue } from '../analyzer';
import type { Taxonomy } from '../taxonomy/taxonomy.types';

/**
 * Most characters of one message (and of the subject) the local analyzer reads: a prefix, so quotes stay verbatim.
 * Claude is sent 8,000 characters a message; a 200 KB pasted log would otherwise cost seconds of CPU (issue 13).
 */
export const LOCAL_MESSAGE_CHARS = 20_000;
const head = (text: string, max = LOCAL_MESSAGE_CHARS) => (text.length > max ? text.slice(0, max) : text);

interface CompiledTaxonomy {
  version: number;
  engine: MiningEngine;
  /** engine category name → our category key, and per category subcategory name → key */
  keys: Map<string, { key: string; subcategories: Map<string, string> }>;
}

/**
 * The `local` analyzer, offline and free: the text-mining engine's rules and lexical models (problem cues in
 * customer text, issue type, severity from impact cues, category by similarity to the taxonomy's names and
 * descriptions, a verbatim customer quote). Same output shape as `claude`.
 */
export class LocalAnalyzer implements Analyzer {
  readonly name = 'local' as const;
  readonly model = 'text-mining-local-v1';
  private compiled?: CompiledTaxonomy;

  async check(): Promise<void> {
    /* nothing to check: no network */
  }

  async analyze(ticket: AnalysisTicket, taxonomy: Taxonomy): Promise<AnalysisOutcome> {
    const { engine, keys } = this.compile(taxonomy);
    const [first, ...rest] = ticket.messages;
    const result = engine.analyze({
      subject: head(ticket.subject, 1000),
      description: head(first?.body ?? ''),
      comments: rest.map((m) => ({
        body: head(m.body),
        public: m.public,
        authorRole: m.author === 'customer' ? 'end-user' : m.author === 'agent' ? 'agent' : 'unknown',
      })),
      tags: ticket.tags,
    });
    const issues: ExtractedIssue[] = result.issues.map((issue) => {
      const category = keys.get(issue.category);
      return {
        category: category?.key ?? issue.category,
        subcategory: (category && category.subcategories.get(issue.subcategory)) ?? issue.subcategory,
        issueType: issue.issueType,
        severity: issue.severity,
        summary: issue.summary,
        detail: issue.detail,
        quote: issue.quote || null,
        confidence: issue.confidence,
        platform: issue.platform ?? null,
        userSegment: null,
        hasWorkaround: issue.hasWorkaround,
        businessImpact: issue.businessImpact ?? null,
      };
    });
    return { status: result.status, reason: result.reason, issues, calls: [] };
  }

  /** The engine compiles a taxonomy once; a changed taxonomy (new version) is compiled again. */
  private compile(taxonomy: Taxonomy): CompiledTaxonomy {
    if (this.compiled && this.compiled.version === taxonomy.version) return this.compiled;
    const keys = new Map<string, { key: string; subcategories: Map<string, string> }>();
    const engineTaxonomy: AnalyzerTaxonomy = {
      categories: taxonomy.categories.map((c) => {
        keys.set(c.name, { key: c.key, subcategories: new Map(c.subcategories.map((s) => [s.name, s.key])) });
        return {
          name: c.name,
          description: c.description,
          keywords: [c.key.replace(/[_-]/g, ' '), ...c.aliases],
          subcategories: c.subcategories.map((s) => ({
            name: s.name,
            description: s.description,
            keywords: [s.key.replace(/[_-]/g, ' '), ...s.aliases],
          })),
        };
      }),
    };
    this.compiled = { version: taxonomy.version, engine: new MiningEngine(engineTaxonomy), keys };
    return this.compiled;
  }
}
