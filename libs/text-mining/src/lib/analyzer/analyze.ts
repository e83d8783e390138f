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
import {
  AGENT_CONFIRM_CUES,
  AGENT_DOC_CUES,
  AGENT_FEATURE_CUES,
  AGENT_HOWTO_CUES,
  AGENT_WORKAROUND_CUES,
  Cue,
  GENERIC_PROBLEM_CUES,
  IMPACT_CUES,
  NOISE_CUES,
  NoiseKind,
  PLATFORM_CUES,
  QUESTION_START,
  RESOLVED,
  SEVERITY_CUES,
  TOPIC_SWITCH,
  TYPE_CUES,
  consequenceIndex,
  cueForm,
  firstCueIndex,
  scoreCues,
} from './cues';
import { Sentence, SourceText, ticketSentences, verbatimExcerpt } from './sentences';
import { ReportShape, reportShape } from './shape';
import { CategoryMatch, TaxonomyMatcher, weightedTerms } from './taxonomy-matcher';
import {
  AnalyzedIssue,
  AnalyzerTaxonomy,
  AnalyzerTicket,
  ISSUE_TYPES,
  IssueType,
  LocalAnalyzerOptions,
  Severity,
  TicketAnalysis,
} from './types';

/** Tie-break order of issue types (earlier wins on equal score). */
const TYPE_PRIORITY: readonly IssueType[] = [
  'bug',
  'data_issue',
  'feature_request',
  'friction',
  'ux_confusion',
  'documentation_gap',
];
const NOISE_KINDS = Object.keys(NOISE_CUES) as NoiseKind[];

/** Friction cues that are about speed: a slowdown reported as a change ("used to", "lately") is a bug. */
const SLOWNESS: readonly Cue[] = TYPE_CUES.friction.filter((x) =>
  ['slow', 'very slow', 'takes forever'].includes(x.id),
);

/**
 * Stems that say something is wrong but not *what*: left out of the taxonomy query so that "fails",
 * "error" or "still" do not pull a ticket towards a category whose description happens to use them.
 */
const CATEGORY_STOP = new Set([
  'error',
  'fail',
  'failur',
  'issu',
  'problem',
  'work',
  'time',
  'keep',
  'still',
  'again',
  'tri',
  'broken',
  'broke',
  'bug',
  'help',
  'need',
  'want',
  'get',
  'got',
  'use',
  'now',
  'today',
  'yesterday',
  'morn',
  'week',
  'everi',
  'singl',
  'same',
  'thing',
  'look',
  'seem',
  'happen',
  'start',
  'stop',
  'anymor',
  'alway',
  'never',
  'sudden',
  'sinc',
  'ago',
  'updat',
  'pleas',
  'urgent',
  'asap',
  'someth',
  'wrong',
  'like',
  'way',
  'abl',
  'unabl',
  'not',
  'no',
  'can',
  'go',
  'went',
]);

/**
 * Weight of the report's shape against the sentence cues (a question shape counts 1.5× against a problem). NLBSE'24
 * GitHub issues, macro-F1 mean over five repositories: 0.44 without the shape, 0.48 / 0.54 / 0.55 at 0.5 / 1 / 2.
 */
const SHAPE_WEIGHT = 2;

/** Most a single sentence contributes to the problem score. */
const SENTENCE_CAP = 4;
const SUMMARY_MAX = 200;
const QUOTE_MAX = 300;
const DETAIL_MAX = 600;
const REASON_MAX = 300;

type TypeScores = Record<IssueType, number>;

const zeroTypes = (): TypeScores => ({
  bug: 0,
  friction: 0,
  ux_confusion: 0,
  feature_request: 0,
  documentation_gap: 0,
  data_issue: 0,
});

/** Per-sentence evidence. */
export interface SentenceSignals {
  sentence: Sentence;
  author: 'customer' | 'agent' | 'internal';
  kind: SourceText['kind'];
  /** Source weight: subject 0.8, description 1, later customer comments 0.7. */
  weight: number;
  question: boolean;
  resolved: boolean;
  aside: boolean;
  types: TypeScores;
  /** Part of the friction score that is about speed. */
  slow: number;
  /** Sum of type cues + untyped problem cues, capped. */
  problem: number;
  noise: Record<NoiseKind, number>;
  hits: string[];
}

/** Ticket-level evidence (returned by `explain`). */
export interface TicketSignals {
  sentences: SentenceSignals[];
  problem: number;
  noise: number;
  noiseKind: NoiseKind | null;
  agentConfirm: number;
  agentFeature: number;
  agentDoc: number;
  agentHowto: number;
  decision: number;
  types: TypeScores;
}

interface IssueDraft {
  type: IssueType;
  sentences: SentenceSignals[];
  match: CategoryMatch | null;
  strength: number;
  primary: boolean;
}

const AGENT_LIKE =
  /\b(?:thanks|thank you) for (?:reaching out|contacting|your patience|the report|reporting|flagging|letting us know|the details|the suggestion)\b|\b(?:i|we)(?: have)? (?:escalated|forwarded|passed (?:this|it) on|raised this|logged (?:this|a)|linked your|added your|shared your case|reproduced)\b|\bour (?:engineers|engineering team|developers|billing team|product team|support team) (?:are|is|have|has|will)\b|\blet (?:me|us) know if (?:that|this|it|you)\b/;
const SUPPORT_SIGNATURE = /^.{0,60}\bsupport\s*$/im;

function looksLikeAgent(body: string): boolean {
  return AGENT_LIKE.test(cueForm(body)) || SUPPORT_SIGNATURE.test(body);
}

function argmaxType(scores: TypeScores): IssueType {
  let best: IssueType = TYPE_PRIORITY[0];
  for (const t of TYPE_PRIORITY) if (scores[t] > scores[best] + 1e-9) best = t;
  return best;
}

function sumTypes(s: TypeScores): number {
  let x = 0;
  for (const t of ISSUE_TYPES) x += s[t];
  return x;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Collapse white space and cut to `max` characters on a word boundary (adds "…" when cut). */
function shorten(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

const LEADING_CONNECTOR =
  /^(?:\W*)(?:(?:also|separately|unrelated|additionally|in addition|on top of that|by the way|btw|but|and|so|however|p\.?s\.?)(?:\s+(?:unrelated|but|separately))?[,:-]?\s+)+/i;

function summaryText(text: string): string {
  let s = text.replace(LEADING_CONNECTOR, '').trim();
  if (!s) s = text.trim();
  s = s.charAt(0).toUpperCase() + s.slice(1);
  return shorten(s, SUMMARY_MAX);
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
    const sources = this.sources(ticket);
    const sentences = ticketSentences(sources);
    const sig = this.signals(sources, sentences);
    this.addShape(sig, reportShape(ticket.subject ?? '', ticket.description ?? ''));

    const confirmed = sig.agentConfirm + sig.agentFeature + sig.agentDoc;
    if (sig.problem <= 0 || (sig.problem < 1 && confirmed < 2) || sig.decision < this.threshold) {
      return { analysis: { status: 'no_product_issue', reason: this.noIssueReason(sig), issues: [] }, signals: sig };
    }

    const drafts = this.drafts(ticket, sig);
    const issues = drafts.map((d) => this.issue(d, sig, sources, ticket));
    return {
      analysis: { status: 'issues_found', reason: this.issueReason(sig, drafts), issues },
      signals: sig,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Evidence

  /**
   * The report's shape (title form, modality, expected/actual, machine output) joins the sentence cues: a failure
   * or a request shape adds to the problem score and its type, a question shape counts against a product problem.
   */
  private addShape(sig: TicketSignals, shape: ReportShape): void {
    const w = SHAPE_WEIGHT;
    const problem = w * Math.max(shape.bug, shape.feature);
    sig.types.bug += w * shape.bug;
    sig.types.feature_request += w * shape.feature;
    sig.problem = round2(sig.problem + problem);
    // A question that names a failure or a request is a report; support confirming a problem outweighs the shape.
    // The question shape takes back at most what the shape added + 1: it never overrules strong sentence cues
    // ("Why is everything so slow lately?" + a slow-dashboard story stays a problem; simulator recall 100 %).
    const confirmed = sig.agentConfirm + sig.agentFeature + sig.agentDoc >= 2;
    const asked = 1.5 * w * Math.max(0, shape.question - 0.5 * Math.max(shape.bug, shape.feature));
    const question = confirmed ? 0 : Math.min(asked, problem + 1);
    sig.decision = round2(sig.decision + problem - question);
  }

  private sources(ticket: AnalyzerTicket): SourceText[] {
    const out: SourceText[] = [{ kind: 'subject', author: 'customer', raw: ticket.subject ?? '' }];
    const description = ticket.description ?? '';
    if (description.trim()) out.push({ kind: 'description', author: 'customer', raw: description });
    (ticket.comments ?? []).forEach((cmt, i) => {
      const body = cmt.body ?? '';
      if (!body.trim()) return;
      if (i === 0 && description.trim() && body.trim() === description.trim()) return;
      let author: SourceText['author'];
      let inferred = false;
      if (cmt.public === false) author = 'internal';
      else if (cmt.authorRole === 'agent' || cmt.authorRole === 'admin') author = 'agent';
      else if (cmt.authorRole === 'end-user') author = 'customer';
      else {
        author = looksLikeAgent(body) ? 'agent' : 'customer';
        inferred = true;
      }
      out.push({ kind: 'comment', author, raw: body, inferred });
    });
    return out;
  }

  private signals(sources: readonly SourceText[], sentences: readonly Sentence[]): TicketSignals {
    const out: SentenceSignals[] = [];
    let problem = 0;
    const noiseByKind: Record<NoiseKind, number> = {
      password: 0,
      billing: 0,
      cancellation: 0,
      account_admin: 0,
      thanks: 0,
      how_to: 0,
    };
    const types = zeroTypes();
    let agentConfirm = 0;
    let agentFeature = 0;
    let agentDoc = 0;
    let agentHowto = 0;
    let seenDescription = false;
    let regression = false;

    for (const s of sentences) {
      const src = sources[s.source];
      const form = s.form;
      const hits: string[] = [];
      const t = zeroTypes();
      const noise = { password: 0, billing: 0, cancellation: 0, account_admin: 0, thanks: 0, how_to: 0 };
      const question = /\?\s*$/.test(s.text) || (QUESTION_START.test(form) && !/[.!]\s*$/.test(s.text));
      let resolved = false;
      let weight = 1;
      let noiseWeight = 1;
      let slow = 0;
      let typed = 0;
      let generic = 0;
      if (src.author === 'customer') {
        if (src.kind === 'subject') weight = 0.8;
        else if (src.kind === 'comment' && seenDescription) {
          weight = 0.7;
          // Closings ("thanks, all sorted") and follow-up questions say little about the ticket's nature.
          noiseWeight = 0.25;
        }
        if (src.kind !== 'subject') seenDescription = true;
        resolved = RESOLVED.test(form) && !/\b(?:still|again|not|no longer|but)\b/.test(form);
        if (!resolved) {
          const after = consequenceIndex(form);
          for (const type of ISSUE_TYPES) t[type] = scoreCues(form, TYPE_CUES[type], hits, after);
          if (t.friction > 0) slow = Math.min(t.friction, scoreCues(form, SLOWNESS));
          if (hits.includes('regression')) regression = true;
          generic = scoreCues(form, GENERIC_PROBLEM_CUES, hits);
          typed = sumTypes(t);
        }
        for (const k of NOISE_KINDS) noise[k] = scoreCues(form, NOISE_CUES[k], hits);
        // A how-to question that also names a failure ("why does the export fail?") is not a how-to, and
        // praise followed by a complaint ("great, but … is confusing") is not a thank-you.
        if (noise.how_to > 0 && (!question || typed >= 2)) noise.how_to = 0;
        if (noise.thanks > 0 && typed >= 2) noise.thanks = 0;
        for (const k of NOISE_KINDS) noiseByKind[k] += noiseWeight * noise[k];
        problem += weight * Math.min(SENTENCE_CAP, typed + generic);
      } else {
        agentConfirm += scoreCues(form, AGENT_CONFIRM_CUES, hits);
        agentFeature += scoreCues(form, AGENT_FEATURE_CUES, hits);
        agentDoc += scoreCues(form, AGENT_DOC_CUES, hits);
        if (src.author === 'agent') agentHowto += scoreCues(form, AGENT_HOWTO_CUES, hits);
      }
      out.push({
        sentence: s,
        author: src.author,
        kind: src.kind,
        weight,
        question,
        resolved,
        aside: src.author === 'customer' && src.kind !== 'subject' && TOPIC_SWITCH.test(form) && typed >= 1.5,
        types: t,
        slow,
        problem: Math.min(SENTENCE_CAP, typed + generic),
        noise,
        hits,
      });
    }

    agentConfirm = Math.min(4, agentConfirm);
    agentFeature = Math.min(4, agentFeature);
    agentDoc = Math.min(4, agentDoc);
    agentHowto = Math.min(3, agentHowto);
    for (const s of out) {
      if (s.author !== 'customer') continue;
      if (regression && s.slow > 0) {
        // "Has become painfully slow", "used to take a few seconds": a performance regression is a bug.
        s.types.friction -= s.slow;
        s.types.bug += s.slow;
      }
      for (const type of ISSUE_TYPES) types[type] += s.weight * Math.min(SENTENCE_CAP, s.types[type]);
    }
    types.feature_request += 0.75 * agentFeature;
    types.documentation_gap += 0.75 * agentDoc;

    let noiseKind: NoiseKind | null = null;
    let noise = 0;
    for (const k of NOISE_KINDS) {
      noise += noiseByKind[k];
      if (noiseByKind[k] > 0 && (noiseKind === null || noiseByKind[k] > noiseByKind[noiseKind])) noiseKind = k;
    }
    // Support saying "known bug" / "not available, added your vote" turns a question into a report.
    if (agentConfirm + agentFeature + agentDoc >= 2) noise -= noiseByKind.how_to;
    noise = Math.min(6, Math.max(0, noise));
    const confirmed = agentConfirm + agentFeature + agentDoc > 0;
    const decision =
      problem + 0.6 * agentConfirm + 0.6 * agentFeature + 0.6 * agentDoc - noise - (confirmed ? 0 : 0.75 * agentHowto);
    return {
      sentences: out,
      problem: round2(problem),
      noise: round2(noise),
      noiseKind,
      agentConfirm,
      agentFeature,
      agentDoc,
      agentHowto,
      decision: round2(decision),
      types,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Issues

  private query(sentences: readonly SentenceSignals[], ticket: AnalyzerTicket | null): Map<string, number> {
    const q = new Map<string, number>();
    for (const s of sentences) {
      if (s.author !== 'customer') continue;
      // Subject 2, description 1, follow-ups 0.5; problem sentences up to 2.5× more than the rest.
      const src = s.kind === 'subject' ? 2 : s.weight < 1 ? 0.5 : 1;
      const w = src * (s.problem > 0 ? 1 + Math.min(3, s.problem) / 2 : s.kind === 'subject' ? 1 : 0.3);
      weightedTerms(s.sentence.text, w, q);
    }
    if (ticket && this.useTags) {
      for (const tag of ticket.tags ?? []) weightedTerms(tag.replace(/[_\-:]+/g, ' '), 0.5, q);
    }
    for (const t of [...q.keys()]) {
      const us = t.indexOf('_');
      if (us < 0 ? CATEGORY_STOP.has(t) : CATEGORY_STOP.has(t.slice(0, us)) || CATEGORY_STOP.has(t.slice(us + 1)))
        q.delete(t);
    }
    return q;
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

  private issue(
    d: IssueDraft,
    sig: TicketSignals,
    sources: readonly SourceText[],
    ticket: AnalyzerTicket,
  ): AnalyzedIssue {
    const own = d.sentences.filter((s) => s.author === 'customer');
    const problems = own.filter((s) => s.problem > 0 && !s.resolved);
    const ci = d.match?.categoryIndex ?? -1;

    // Most informative sentence: type cues for this issue, overall cues, taxonomy relevance, length.
    const ranked = (problems.length ? problems : own)
      .map((s) => {
        const len = s.sentence.text.length;
        const rel = ci >= 0 ? this.matcher.categoryScore(ci, this.query([s], null)) : 0;
        const score =
          1.0 * s.types[d.type] +
          0.5 * s.problem +
          0.4 * Math.min(3, rel) +
          (len >= 30 && len <= 220 ? 0.6 : len >= 15 ? 0.2 : 0) +
          (s.kind === 'description' ? 0.5 : s.kind === 'subject' ? 0.1 : 0) -
          (s.question && s.types[d.type] < 2 ? 0.6 : 0);
        return { s, score };
      })
      .sort((a, b) => b.score - a.score || a.s.sentence.order - b.s.sentence.order);
    const best = ranked[0]?.s;

    let summary = best ? summaryText(best.sentence.text) : shorten(ticket.subject ?? '', SUMMARY_MAX);
    const subject = (ticket.subject ?? '').trim();
    if (best && best.kind !== 'subject' && summary.length < 40 && subject && d.primary) {
      const combined = `${subject.replace(/[.!?\s]+$/, '')}: ${summary}`;
      if (combined.length <= SUMMARY_MAX) summary = combined;
    }
    if (!summary) summary = 'Product problem reported';

    // Quote: best verbatim customer sentence, preferring message text over the subject.
    let quote = '';
    // Preference: a message sentence with type cues, the subject with type cues, any message sentence.
    // Comments whose author was only inferred from their wording are quoted only when nothing else is.
    const located = ranked.filter((r) => r.s.sentence.start >= 0);
    const certain = located.filter((r) => !sources[r.s.sentence.source].inferred);
    const quotable = certain.length ? certain : located;
    const typed = (r: { s: SentenceSignals }) => sumTypes(r.s.types) > 0;
    const pick =
      quotable.find((r) => r.s.kind !== 'subject' && typed(r)) ??
      quotable.find((r) => typed(r)) ??
      quotable.find((r) => r.s.kind !== 'subject') ??
      quotable[0];
    if (pick) {
      const s = pick.s.sentence;
      const raw = sources[s.source].raw;
      const cueAt = firstCueIndex(s.form, TYPE_CUES[d.type]);
      const focus =
        cueAt >= 0 ? s.start + Math.round((cueAt / Math.max(1, s.form.length)) * (s.end - s.start)) : s.start;
      quote = verbatimExcerpt(raw, s.start, s.end, QUOTE_MAX, focus);
    }
    if (!quote) {
      const subj = sources[0].raw;
      quote = subj.trim()
        ? verbatimExcerpt(subj, subj.indexOf(subj.trim()), subj.indexOf(subj.trim()) + subj.trim().length, QUOTE_MAX)
        : '';
    }

    // Detail: the issue's problem sentences in thread order, plus what support said.
    const detailSentences = (problems.length ? problems : own)
      .filter((s) => s.kind !== 'subject')
      .sort((a, b) => a.sentence.order - b.sentence.order);
    const parts: string[] = [];
    let len = 0;
    for (const s of detailSentences) {
      const t = s.sentence.text.replace(/\s+/g, ' ').trim();
      if (len + t.length > DETAIL_MAX - 80 && parts.length) break;
      parts.push(t);
      len += t.length + 1;
    }
    if (!parts.length && subject) parts.push(subject);
    if (d.primary) {
      const notes: string[] = [];
      if (sig.agentConfirm >= 1.5) notes.push('support confirmed or escalated the problem');
      if (sig.agentFeature > 0 && d.type === 'feature_request') notes.push('support logged it as a feature request');
      if (notes.length) parts.push(`(${notes.join('; ')})`);
    }
    const detail = shorten(parts.join(' '), DETAIL_MAX);

    // Severity.
    const customerForms = own.map((s) => s.sentence.form);
    const agentForms = d.primary
      ? sig.sentences.filter((s) => s.author !== 'customer').map((s) => s.sentence.form)
      : [];
    const statements = own.filter((s) => !s.question).map((s) => s.sentence.form);
    const any = (forms: readonly string[], cues: readonly Cue[]): number => {
      let best = 0;
      for (const f of forms) best = Math.max(best, scoreCues(f, cues));
      return best;
    };
    const critical = Math.max(
      any(customerForms, SEVERITY_CUES.money),
      any(customerForms, SEVERITY_CUES.security),
      any(customerForms, SEVERITY_CUES.dataLoss),
      any(customerForms, SEVERITY_CUES.blocked),
      any(agentForms, SEVERITY_CUES.agentCritical),
    );
    let high = 0;
    for (const cue of SEVERITY_CUES.high) high += any(customerForms, [cue]);
    high += 0.5 * any(agentForms, SEVERITY_CUES.agentHigh);
    const cosmetic = any(customerForms, SEVERITY_CUES.cosmetic) > 0;
    // A workaround the customer uses lowers the severity; one the agent merely suggests is recorded
    // (hasWorkaround) but does not: agents suggest workarounds routinely, the customer's text says
    // whether it helps.
    const customerWorkaround = any(statements, SEVERITY_CUES.workaround) > 0;
    const hasWorkaround = customerWorkaround || (d.primary && any(agentForms, AGENT_WORKAROUND_CUES) > 0);
    let severity: Severity;
    if (critical >= 3) severity = 'critical';
    else if (d.type === 'feature_request' || cosmetic) severity = 'low';
    else if (high >= 2) severity = customerWorkaround ? 'medium' : 'high';
    else severity = customerWorkaround ? 'low' : 'medium';

    // Platform, business impact.
    const text = own.map((s) => s.sentence.form).join('\n');
    const platform = PLATFORM_CUES.find(([, re]) => re.test(text))?.[0];
    const impact = own.find(
      (s) => s !== best && !s.question && s.kind !== 'subject' && scoreCues(s.sentence.form, IMPACT_CUES) > 0,
    );

    // Confidence: strength of the evidence, support's confirmation, clarity of the category.
    const evidence = d.primary ? sig.decision : d.strength;
    let confidence = 0.25 + 0.6 * (1 - Math.exp(-Math.max(0, evidence) / 4));
    if (d.primary && sig.agentConfirm + sig.agentFeature + sig.agentDoc >= 1.5) confidence += 0.1;
    if (!d.match || d.match.score === 0) confidence *= 0.7;
    else if (d.primary && d.match.runnerUp > 0.85 * d.match.score) confidence *= 0.9;
    if (!d.primary) confidence *= 0.85;

    const issue: AnalyzedIssue = {
      category: d.match?.category ?? '',
      subcategory: d.match?.subcategory ?? '',
      issueType: d.type,
      severity,
      summary,
      detail,
      quote,
      confidence: round2(clamp(confidence, 0.05, 0.95)),
      hasWorkaround,
    };
    if (platform) issue.platform = platform;
    if (impact) issue.businessImpact = shorten(impact.sentence.text, SUMMARY_MAX);
    return issue;
  }

  // ---------------------------------------------------------------------------------------------
  // Reasons

  private noIssueReason(sig: TicketSignals): string {
    const kinds: Record<NoiseKind, string> = {
      password: 'password reset or account access request',
      billing: 'billing or plan question',
      cancellation: 'cancellation or downgrade request',
      account_admin: 'account administration request',
      thanks: 'thank-you or positive feedback',
      how_to: sig.agentHowto > 0 ? 'how-to question answered by support' : 'question about product usage',
    };
    if (sig.noiseKind && sig.noise > 0) {
      const base = `${/^[aeiou]/.test(kinds[sig.noiseKind]) ? 'an' : 'a'} ${kinds[sig.noiseKind]}`;
      return sig.problem > 0
        ? `Looks like ${base}; weak problem cues (score ${sig.problem}) are outweighed.`
        : `Looks like ${base}, not a product problem.`;
    }
    if (sig.problem > 0) return `Only weak problem cues in the customer's text (score ${sig.problem}).`;
    if (sig.agentHowto > 0) return 'Question answered by support with instructions; no product problem described.';
    return "No product problem described in the customer's text.";
  }

  private issueReason(sig: TicketSignals, drafts: readonly IssueDraft[]): string {
    const hits = new Set<string>();
    for (const s of sig.sentences) if (s.author === 'customer' && s.problem > 0) for (const h of s.hits) hits.add(h);
    const cues = [...hits].slice(0, 5).join(', ');
    const types = drafts.map((d) => d.type.replace(/_/g, ' ')).join(' + ');
    let r = `Customer reports ${drafts.length === 1 ? 'a' : drafts.length} product problem${drafts.length === 1 ? '' : 's'} (${types})`;
    if (cues) r += `; cues: ${cues}`;
    if (sig.agentConfirm >= 1.5) r += '; support confirmed or escalated it';
    else if (sig.agentFeature > 0) r += '; support logged it as a request';
    return shorten(`${r}.`, REASON_MAX);
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
