import { AnalysisOutcome, AnalysisTicket, Analyzer, ExtractedIssue } from '../analyzer';
import type { IssueType, Severity, Taxonomy } from '../taxonomy/taxonomy.types';

/**
 * The `local` analyzer, offline and free: a small honest rule set until the text-mining engine replaces it.
 * A ticket whose customer messages contain a problem cue gets one issue: the taxonomy subcategory with the
 * best keyword overlap, the most informative cue sentence as summary and as verbatim quote. Low confidence.
 */
export class LocalAnalyzer implements Analyzer {
  readonly name = 'local' as const;
  readonly model = 'local-rules-v1';

  async check(): Promise<void> {
    /* nothing to check: no network */
  }

  async analyze(ticket: AnalysisTicket, taxonomy: Taxonomy): Promise<AnalysisOutcome> {
    const customer = ticket.messages.filter((m) => m.public && m.author !== 'agent');
    const texts = [ticket.subject, ...(customer.length ? customer : ticket.messages.slice(0, 1)).map((m) => m.body)];
    const candidates = texts.flatMap(sentences).filter((s) => s.length >= 15 && s.length <= 400);
    let best: { sentence: string; cue: Cue; score: number } | undefined;
    for (const sentence of candidates) {
      const cue = CUES.find((c) => c.pattern.test(sentence));
      if (!cue || NOT_A_PROBLEM.test(sentence)) continue;
      // Informative: longer sentences with more distinct content words, capped so a pasted log does not win.
      const score = Math.min(contentWords(sentence).size, 20) + (cue.type === 'bug' ? 1 : 0);
      if (!best || score > best.score) best = { sentence, cue, score };
    }
    if (!best) {
      return {
        status: 'no_product_issue',
        reason:
          'No problem cue found in the customer’s messages (local rules; the text-mining engine will refine this).',
        issues: [],
        calls: [],
      };
    }
    const all = texts.join('\n');
    const { category, subcategory } = bestSubcategory(
      taxonomy,
      `${ticket.subject} ${best.sentence} ${ticket.tags.join(' ')}`,
      all,
    );
    const severity: Severity = CRITICAL.test(all) ? 'critical' : best.cue.severity;
    const issue: ExtractedIssue = {
      category,
      subcategory,
      issueType: best.cue.type,
      severity,
      summary: clip(best.sentence, 200),
      detail: `Reported in ticket ${ticket.zendeskId}: ${clip(best.sentence, 400)}`,
      quote: best.sentence,
      confidence: 0.35,
      platform: /\bandroid\b/i.test(all) ? 'android' : /\b(ios|iphone|ipad)\b/i.test(all) ? 'ios' : null,
      userSegment: null,
      hasWorkaround: /\bworkaround\b/i.test(all) ? true : null,
      businessImpact: null,
    };
    return {
      status: 'issues_found',
      reason: `Problem cue "${best.cue.label}" found (local rules).`,
      issues: [issue],
      calls: [],
    };
  }
}

interface Cue {
  label: string;
  pattern: RegExp;
  type: IssueType;
  severity: Severity;
}

const CUES: Cue[] = [
  {
    label: 'billing error',
    pattern: /\b(charged twice|double[- ]charged|overcharged|refund (is )?missing)\b/i,
    type: 'bug',
    severity: 'high',
  },
  { label: 'crash', pattern: /\bcrash(es|ed|ing)?\b/i, type: 'bug', severity: 'high' },
  { label: 'error', pattern: /\b(error|exception|50[0-4])\b/i, type: 'bug', severity: 'high' },
  {
    label: 'fails',
    pattern: /\b(fail(s|ed|ing|ure)?|broken|stopped working|not working|doesn[’']?t work)\b/i,
    type: 'bug',
    severity: 'high',
  },
  { label: 'cannot', pattern: /\b(can[’']?t|cannot|unable to|won[’']?t)\b/i, type: 'bug', severity: 'medium' },
  {
    label: 'wrong data',
    pattern: /\b(wrong|incorrect|missing|duplicate[ds]?|mismatch(es|ed)?)\b/i,
    type: 'data_issue',
    severity: 'medium',
  },
  {
    label: 'slow',
    pattern: /\b(slow|times? out|timed out|timeouts?|takes? forever|hangs?)\b/i,
    type: 'friction',
    severity: 'medium',
  },
  {
    label: 'confusing',
    pattern: /\b(confus(ing|ed)|unclear|can[’']?t find|hard to find)\b/i,
    type: 'ux_confusion',
    severity: 'low',
  },
  {
    label: 'docs',
    pattern: /\b(documentation|docs) (is|are|says?)\b|\bnot documented\b/i,
    type: 'documentation_gap',
    severity: 'low',
  },
  {
    label: 'request',
    pattern: /\b(feature request|would be (nice|great|helpful)|please add|wish|it would help)\b/i,
    type: 'feature_request',
    severity: 'low',
  },
];
const NOT_A_PROBLEM = /\b(no (problem|issue)s?|(is|are) (now )?(fixed|resolved|working again))\b/i;
const CRITICAL =
  /\b(charged twice|double[- ]charged|data loss|lost (all|our) data|security|breach|gdpr|outage|completely blocked)\b/i;
const STOP = new Set(
  'the a an and or but to of in on for with at by from is are was were be been it this that we our you your i my me they them their have has had do does did not no can will would should could as if so when what which there here about after before into than then too very just also all any some more most other'.split(
    ' ',
  ),
);

function sentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z][a-z0-9]{2,}/g) ?? []).filter((w) => !STOP.has(w)).map(stem));
}

const stem = (w: string) => w.replace(/(ing|ed|es|s)$/, '');

function bestSubcategory(taxonomy: Taxonomy, focus: string, all: string): { category: string; subcategory: string } {
  const near = contentWords(focus);
  const wide = contentWords(all);
  let best = {
    category: taxonomy.categories[0]?.key ?? 'other',
    subcategory: taxonomy.categories[0]?.subcategories[0]?.key ?? 'other',
    score: -1,
  };
  for (const c of taxonomy.categories) {
    const catWords = contentWords(`${c.key.replace(/_/g, ' ')} ${c.name} ${c.description}`);
    for (const s of c.subcategories) {
      const words = new Set([...catWords, ...contentWords(`${s.key.replace(/_/g, ' ')} ${s.name} ${s.description}`)]);
      let score = 0;
      for (const w of words) score += (near.has(w) ? 2 : 0) + (wide.has(w) ? 0.5 : 0);
      if (score > best.score) best = { category: c.key, subcategory: s.key, score };
    }
  }
  return { category: best.category, subcategory: best.subcategory };
}

function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}
