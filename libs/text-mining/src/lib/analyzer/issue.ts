/**
 * Step 4–5 of the local analyzer (`analyze.ts`): an issue draft becomes an {@link AnalyzedIssue} — its most
 * informative sentence as summary and verbatim quote, detail, severity, platform, impact and confidence — and the
 * analysis's reason. Also the taxonomy query built from sentences.
 */
import {
  AGENT_WORKAROUND_CUES,
  Cue,
  IMPACT_CUES,
  NoiseKind,
  PLATFORM_CUES,
  SEVERITY_CUES,
  TYPE_CUES,
  firstCueIndex,
  scoreCues,
} from './cues';
import { SourceText, verbatimExcerpt } from './sentences';
import { SentenceSignals, TicketSignals, round2, sumTypes } from './signals';
import { CategoryMatch, TaxonomyMatcher, weightedTerms } from './taxonomy-matcher';
import { AnalyzedIssue, AnalyzerTicket, IssueType, Severity } from './types';

const SUMMARY_MAX = 200;
const QUOTE_MAX = 300;
const DETAIL_MAX = 600;
const REASON_MAX = 300;

export interface IssueDraft {
  type: IssueType;
  sentences: SentenceSignals[];
  match: CategoryMatch | null;
  strength: number;
  primary: boolean;
}

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
 * The taxonomy query of customer sentences: subject 2, description 1, follow-ups 0.5; problem sentences up to 2.5×
 * more than the rest; the ticket's tags 0.5 when given; generic problem words left out.
 */
export function categoryQuery(
  sentences: readonly SentenceSignals[],
  tags: readonly string[] | null,
): Map<string, number> {
  const q = new Map<string, number>();
  for (const s of sentences) {
    if (s.author !== 'customer') continue;
    const src = s.kind === 'subject' ? 2 : s.weight < 1 ? 0.5 : 1;
    const w = src * (s.problem > 0 ? 1 + Math.min(3, s.problem) / 2 : s.kind === 'subject' ? 1 : 0.3);
    weightedTerms(s.sentence.text, w, q);
  }
  for (const tag of tags ?? []) weightedTerms(tag.replace(/[_\-:]+/g, ' '), 0.5, q);
  for (const t of [...q.keys()]) {
    const us = t.indexOf('_');
    if (us < 0 ? CATEGORY_STOP.has(t) : CATEGORY_STOP.has(t.slice(0, us)) || CATEGORY_STOP.has(t.slice(us + 1)))
      q.delete(t);
  }
  return q;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Collapse white space and cut to `max` characters on a word boundary (adds "…" when cut). */
export function shorten(text: string, max: number): string {
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

interface Ranked {
  s: SentenceSignals;
  score: number;
}

/** Most informative sentences first: type cues for this issue, overall cues, taxonomy relevance, length. */
function rankSentences(d: IssueDraft, candidates: readonly SentenceSignals[], matcher: TaxonomyMatcher): Ranked[] {
  const ci = d.match?.categoryIndex ?? -1;
  return candidates
    .map((s) => {
      const len = s.sentence.text.length;
      const rel = ci >= 0 ? matcher.categoryScore(ci, categoryQuery([s], null)) : 0;
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
}

function issueSummary(d: IssueDraft, best: SentenceSignals | undefined, ticket: AnalyzerTicket): string {
  let summary = best ? summaryText(best.sentence.text) : shorten(ticket.subject ?? '', SUMMARY_MAX);
  const subject = (ticket.subject ?? '').trim();
  if (best && best.kind !== 'subject' && summary.length < 40 && subject && d.primary) {
    const combined = `${subject.replace(/[.!?\s]+$/, '')}: ${summary}`;
    if (combined.length <= SUMMARY_MAX) summary = combined;
  }
  return summary || 'Product problem reported';
}

/** Best verbatim customer sentence, preferring message text over the subject, centred on the type cue. */
function issueQuote(d: IssueDraft, ranked: readonly Ranked[], sources: readonly SourceText[]): string {
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
  let quote = '';
  if (pick) {
    const s = pick.s.sentence;
    const raw = sources[s.source].raw;
    const cueAt = firstCueIndex(s.form, TYPE_CUES[d.type]);
    const focus = cueAt >= 0 ? s.start + Math.round((cueAt / Math.max(1, s.form.length)) * (s.end - s.start)) : s.start;
    quote = verbatimExcerpt(raw, s.start, s.end, QUOTE_MAX, focus);
  }
  if (!quote) {
    const subj = sources[0].raw;
    quote = subj.trim()
      ? verbatimExcerpt(subj, subj.indexOf(subj.trim()), subj.indexOf(subj.trim()) + subj.trim().length, QUOTE_MAX)
      : '';
  }
  return quote;
}

/** The issue's problem sentences in thread order, plus what support said. */
function issueDetail(d: IssueDraft, sentences: readonly SentenceSignals[], sig: TicketSignals, subject: string) {
  const detailSentences = sentences
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
  return shorten(parts.join(' '), DETAIL_MAX);
}

function strongest(forms: readonly string[], cues: readonly Cue[]): number {
  let best = 0;
  for (const f of forms) best = Math.max(best, scoreCues(f, cues));
  return best;
}

/** Severity from impact cues, and whether a workaround is known. */
function issueSeverity(
  d: IssueDraft,
  own: readonly SentenceSignals[],
  sig: TicketSignals,
): { severity: Severity; hasWorkaround: boolean } {
  const customerForms = own.map((s) => s.sentence.form);
  const agentForms = d.primary ? sig.sentences.filter((s) => s.author !== 'customer').map((s) => s.sentence.form) : [];
  const statements = own.filter((s) => !s.question).map((s) => s.sentence.form);
  const critical = Math.max(
    strongest(customerForms, SEVERITY_CUES.money),
    strongest(customerForms, SEVERITY_CUES.security),
    strongest(customerForms, SEVERITY_CUES.dataLoss),
    strongest(customerForms, SEVERITY_CUES.blocked),
    strongest(agentForms, SEVERITY_CUES.agentCritical),
  );
  let high = 0;
  for (const cue of SEVERITY_CUES.high) high += strongest(customerForms, [cue]);
  high += 0.5 * strongest(agentForms, SEVERITY_CUES.agentHigh);
  const cosmetic = strongest(customerForms, SEVERITY_CUES.cosmetic) > 0;
  // A workaround the customer uses lowers the severity; one the agent merely suggests is recorded
  // (hasWorkaround) but does not: agents suggest workarounds routinely, the customer's text says
  // whether it helps.
  const customerWorkaround = strongest(statements, SEVERITY_CUES.workaround) > 0;
  const hasWorkaround = customerWorkaround || (d.primary && strongest(agentForms, AGENT_WORKAROUND_CUES) > 0);
  let severity: Severity;
  if (critical >= 3) severity = 'critical';
  else if (d.type === 'feature_request' || cosmetic) severity = 'low';
  else if (high >= 2) severity = customerWorkaround ? 'medium' : 'high';
  else severity = customerWorkaround ? 'low' : 'medium';
  return { severity, hasWorkaround };
}

/** Confidence: strength of the evidence, support's confirmation, clarity of the category. */
function issueConfidence(d: IssueDraft, sig: TicketSignals): number {
  const evidence = d.primary ? sig.decision : d.strength;
  let confidence = 0.25 + 0.6 * (1 - Math.exp(-Math.max(0, evidence) / 4));
  if (d.primary && sig.agentConfirm + sig.agentFeature + sig.agentDoc >= 1.5) confidence += 0.1;
  if (!d.match || d.match.score === 0) confidence *= 0.7;
  else if (d.primary && d.match.runnerUp > 0.85 * d.match.score) confidence *= 0.9;
  if (!d.primary) confidence *= 0.85;
  return round2(clamp(confidence, 0.05, 0.95));
}

/** An issue draft as the analysis reports it. */
export function buildIssue(
  d: IssueDraft,
  sig: TicketSignals,
  sources: readonly SourceText[],
  ticket: AnalyzerTicket,
  matcher: TaxonomyMatcher,
): AnalyzedIssue {
  const own = d.sentences.filter((s) => s.author === 'customer');
  const problems = own.filter((s) => s.problem > 0 && !s.resolved);
  const ranked = rankSentences(d, problems.length ? problems : own, matcher);
  const best = ranked[0]?.s;
  const { severity, hasWorkaround } = issueSeverity(d, own, sig);

  // Platform, business impact.
  const text = own.map((s) => s.sentence.form).join('\n');
  const platform = PLATFORM_CUES.find(([, re]) => re.test(text))?.[0];
  const impact = own.find(
    (s) => s !== best && !s.question && s.kind !== 'subject' && scoreCues(s.sentence.form, IMPACT_CUES) > 0,
  );

  const issue: AnalyzedIssue = {
    category: d.match?.category ?? '',
    subcategory: d.match?.subcategory ?? '',
    issueType: d.type,
    severity,
    summary: issueSummary(d, best, ticket),
    detail: issueDetail(d, problems.length ? problems : own, sig, (ticket.subject ?? '').trim()),
    quote: issueQuote(d, ranked, sources),
    confidence: issueConfidence(d, sig),
    hasWorkaround,
  };
  if (platform) issue.platform = platform;
  if (impact) issue.businessImpact = shorten(impact.sentence.text, SUMMARY_MAX);
  return issue;
}

// -------------------------------------------------------------------------------------------------
// Reasons

export function noIssueReason(sig: TicketSignals): string {
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

export function issueReason(sig: TicketSignals, drafts: readonly IssueDraft[]): string {
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
