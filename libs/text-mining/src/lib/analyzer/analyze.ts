/**
 * The local (offline) ticket analyzer: rules over cue phrases and thread structure plus a lexical
 * taxonomy match. Same output shape as the Claude analyzer. Pure, deterministic, no network.
 *
 * Outline:
 * 1. The thread becomes sources (subject, description, comments) tagged customer / agent / internal, and
 *    cleaned sentences located in the raw text (for verbatim quotes).
 * 2. Customer sentences are scored for issue-type cues, untyped problem cues and "not a problem" cues
 *    (password reset, billing/admin requests, thanks, cancellations, how-to questions). Agent replies and
 *    internal notes never produce an issue; they only confirm one ("known bug", "escalated to
 *    engineering", "added your vote to the feature request") or answer a how-to question.
 * 3. Decision: problem score + agent confirmation − noise ≥ threshold.
 * 4. Issue type = the strongest type; category/subcategory = BM25 against the taxonomy; a second or third
 *    issue only for sentences that are clearly about something else (different category and different
 *    type, or introduced as a separate topic in a different category).
 * 5. Severity from impact cues; summary/quote from the most informative customer sentence.
 */
import { ticketSentences } from './sentences';
import { reportShape } from './shape';
import { handShape } from './shape-cues';
import { IssueDraft, buildIssue, categoryQuery, issueReason, noIssueReason } from './issue';
import {
  SENTENCE_CAP,
  SentenceSignals,
  TicketSignals,
  TypeScores,
  addHandShape,
  addShape,
  sumTypes,
  ticketSignals,
  ticketSources,
  zeroTypes,
} from './signals';
import { CategoryMatch, TaxonomyMatcher } from './taxonomy-matcher';
import {
  AnalyzerTaxonomy,
  AnalyzerTicket,
  ISSUE_TYPES,
  IssueType,
  LocalAnalyzerOptions,
  TicketAnalysis,
} from './types';

export type { SentenceSignals, TicketSignals } from './signals';

/** Tie-break order of issue types (earlier wins on equal score). */
const TYPE_PRIORITY: readonly IssueType[] = [
  'bug',
  'data_issue',
  'feature_request',
  'friction',
  'ux_confusion',
  'documentation_gap',
];

function argmaxType(scores: TypeScores): IssueType {
  let best: IssueType = TYPE_PRIORITY[0];
  for (const t of TYPE_PRIORITY) if (scores[t] > scores[best] + 1e-9) best = t;
  return best;
}

export class LocalAnalyzer {
  private readonly matcher: TaxonomyMatcher;
  private readonly maxIssues: number;
  private readonly threshold: number;
  private readonly useTags: boolean;

  constructor(
    readonly taxonomy: AnalyzerTaxonomy,
    options: LocalAnalyzerOptions = {},
  ) {
    this.matcher = new TaxonomyMatcher(taxonomy);
    this.maxIssues = Math.max(1, Math.floor(options.maxIssues ?? 3));
    this.threshold = options.problemThreshold ?? 2;
    this.useTags = options.useTags ?? true;
  }

  analyze(ticket: AnalyzerTicket): TicketAnalysis {
    return this.explain(ticket).analysis;
  }

  explain(ticket: AnalyzerTicket): { analysis: TicketAnalysis; signals: TicketSignals } {
    const sources = ticketSources(ticket);
    const sig = ticketSignals(sources, ticketSentences(sources));
    // The learned shape reads a report (a title and a description); an untitled message keeps the hand-weighted cues.
    if ((ticket.subject ?? '').trim()) addShape(sig, reportShape(ticket.subject ?? '', ticket.description ?? ''));
    else addHandShape(sig, handShape('', ticket.description ?? ''));

    const confirmed = sig.agentConfirm + sig.agentFeature + sig.agentDoc;
    if (sig.problem <= 0 || (sig.problem < 1 && confirmed < 2) || sig.decision < this.threshold) {
      return { analysis: { status: 'no_product_issue', reason: noIssueReason(sig), issues: [] }, signals: sig };
    }

    const drafts = this.drafts(ticket, sig);
    const issues = drafts.map((d) => buildIssue(d, sig, sources, ticket, this.matcher));
    return {
      analysis: { status: 'issues_found', reason: issueReason(sig, drafts), issues },
      signals: sig,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Issues

  private query(sentences: readonly SentenceSignals[], ticket: AnalyzerTicket | null): Map<string, number> {
    return categoryQuery(sentences, ticket && this.useTags ? (ticket.tags ?? []) : null);
  }

  private drafts(ticket: AnalyzerTicket, sig: TicketSignals): IssueDraft[] {
    const customer = sig.sentences.filter((s) => s.author === 'customer');
    const problemSentences = customer.filter((s) => s.problem > 0 && !s.resolved);
    const main = customer.filter((s) => !s.aside);
    const primaryMatch = this.matcher.match(this.query(main, ticket));
    const primaryType = argmaxType(sig.types);

    // Candidate second issues: strong sentences about another category, of another type (or introduced
    // as a separate topic).
    const groups = new Map<number, { sentences: SentenceSignals[]; match: CategoryMatch; score: number }>();
    if (this.maxIssues > 1 && primaryMatch && this.matcher.categoryCount > 1) {
      for (const s of problemSentences) {
        if (s.kind === 'subject' || s.problem < 1.5) continue;
        const ownType = argmaxType(s.types);
        if (!s.aside && (ownType === primaryType || s.problem < 2)) continue;
        const q = this.query([s], null);
        const m = this.matcher.match(q);
        if (!m || m.score < 1 || m.categoryIndex === primaryMatch.categoryIndex) continue;
        if (this.matcher.categoryScore(primaryMatch.categoryIndex, q) > 0.5 * m.score) continue;
        const g = groups.get(m.categoryIndex);
        if (g) {
          g.sentences.push(s);
          g.score += s.problem;
        } else groups.set(m.categoryIndex, { sentences: [s], match: m, score: s.problem });
      }
    }
    let secondary: IssueDraft[] = [];
    for (const g of [...groups.values()].sort(
      (a, b) => b.score - a.score || a.match.categoryIndex - b.match.categoryIndex,
    )) {
      const types = zeroTypes();
      for (const s of g.sentences) for (const t of ISSUE_TYPES) types[t] += s.types[t];
      const type = argmaxType(types);
      const isAside = g.sentences.some((s) => s.aside);
      if (type === primaryType && !isAside) continue;
      secondary.push({ type, sentences: g.sentences, match: g.match, strength: g.score, primary: false });
      if (secondary.length >= this.maxIssues - 1) break;
    }
    if (!secondary.length) {
      const strength = customer.reduce((a, s) => a + s.weight * s.problem, 0);
      return [{ type: primaryType, sentences: customer, match: primaryMatch, strength, primary: true }];
    }
    // The primary is re-derived from what is left; a second issue that ends up with the primary's
    // category, or its type without having been introduced as a separate topic, goes back to the primary.
    let primary = this.primaryFrom(customer, secondary, sig, ticket);
    const valid = secondary.filter(
      (d) =>
        d.match?.categoryIndex !== primary.match?.categoryIndex &&
        (d.type !== primary.type || d.sentences.some((s) => s.aside)),
    );
    if (valid.length !== secondary.length) {
      secondary = valid;
      primary = this.primaryFrom(customer, secondary, sig, ticket);
    }
    return [primary, ...secondary.filter((d) => d !== primary.from)];
  }

  /** The primary issue from the customer sentences not taken by `secondary` (mutates nothing). */
  private primaryFrom(
    customer: readonly SentenceSignals[],
    secondary: readonly IssueDraft[],
    sig: TicketSignals,
    ticket: AnalyzerTicket,
  ): IssueDraft & { from?: IssueDraft } {
    const taken = new Set(secondary.flatMap((d) => d.sentences));
    const rest = customer.filter((s) => !taken.has(s));
    const types = zeroTypes();
    for (const s of rest) for (const t of ISSUE_TYPES) types[t] += s.weight * Math.min(SENTENCE_CAP, s.types[t]);
    types.feature_request += 0.75 * sig.agentFeature;
    types.documentation_gap += 0.75 * sig.agentDoc;
    const left = rest.filter((s) => s.problem > 0 && !s.resolved && s.kind !== 'subject');
    if (secondary.length && (sumTypes(types) === 0 || left.length === 0)) {
      // Nothing but the separate topics: the first one becomes the primary issue.
      const first = secondary[0];
      const sentences = [...rest.filter((s) => s.kind === 'subject'), ...first.sentences];
      return { ...first, sentences, primary: true, from: first };
    }
    const strength = rest.reduce((a, s) => a + s.weight * s.problem, 0);
    return {
      type: argmaxType(types),
      sentences: rest,
      match: this.matcher.match(this.query(rest, ticket)),
      strength,
      primary: true,
    };
  }
}

const CACHE = new WeakMap<AnalyzerTaxonomy, Map<string, LocalAnalyzer>>();

/**
 * Analyze one ticket offline. The compiled taxonomy is cached per taxonomy object (and options), so
 * calling this in a loop with the same taxonomy costs no recompilation; for explicit control use
 * {@link LocalAnalyzer}.
 */
export function analyzeTicketLocally(
  ticket: AnalyzerTicket,
  taxonomy: AnalyzerTaxonomy,
  options: LocalAnalyzerOptions = {},
): TicketAnalysis {
  let byOptions = CACHE.get(taxonomy);
  if (!byOptions) CACHE.set(taxonomy, (byOptions = new Map()));
  const key = JSON.stringify([options.maxIssues ?? null, options.problemThreshold ?? null, options.useTags ?? null]);
  let analyzer = byOptions.get(key);
  if (!analyzer) byOptions.set(key, (analyzer = new LocalAnalyzer(taxonomy, options)));
  return analyzer.analyze(ticket);
}
