/**
 * The local analyzer's evidence (steps 1–3 of `analyze.ts`): the thread as customer / agent / internal sources,
 * per-sentence cue scores, and the ticket-level problem score and decision, with the report's shape joined in.
 */
import {
  AGENT_CONFIRM_CUES,
  AGENT_DOC_CUES,
  AGENT_FEATURE_CUES,
  AGENT_HOWTO_CUES,
  Cue,
  GENERIC_PROBLEM_CUES,
  NOISE_CUES,
  NoiseKind,
  QUESTION_START,
  RESOLVED,
  TOPIC_SWITCH,
  TYPE_CUES,
  consequenceIndex,
  cueForm,
  scoreCues,
} from './cues';
import { Sentence, SourceText } from './sentences';
import { ReportShape } from './shape';
import { HandShape } from './shape-cues';
import { AnalyzerTicket, ISSUE_TYPES, IssueType } from './types';

const NOISE_KINDS = Object.keys(NOISE_CUES) as NoiseKind[];

/** Friction cues that are about speed: a slowdown reported as a change ("used to", "lately") is a bug. */
const SLOWNESS: readonly Cue[] = TYPE_CUES.friction.filter((x) =>
  ['slow', 'very slow', 'takes forever'].includes(x.id),
);

/** Most a single sentence contributes to the problem score. */
export const SENTENCE_CAP = 4;

/** Most the report's shape adds to the problem score (its type evidence is not capped). */
const SHAPE_PROBLEM_CAP = 3;
/** What a question shape may take back beyond what the shape added (unless it is a strong question). */
const QUESTION_SLACK = 1.5;

/** Problem types in tie-break order, for the type a failure shape supports. */
const PROBLEM_TYPES: readonly IssueType[] = ['bug', 'data_issue', 'friction', 'ux_confusion', 'documentation_gap'];

export type TypeScores = Record<IssueType, number>;

export const zeroTypes = (): TypeScores => ({
  bug: 0,
  friction: 0,
  ux_confusion: 0,
  feature_request: 0,
  documentation_gap: 0,
  data_issue: 0,
});

const zeroNoise = (): Record<NoiseKind, number> => ({
  password: 0,
  billing: 0,
  cancellation: 0,
  account_admin: 0,
  thanks: 0,
  how_to: 0,
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

const AGENT_LIKE =
  /\b(?:thanks|thank you) for (?:reaching out|contacting|your patience|the report|reporting|flagging|letting us know|the details|the suggestion)\b|\b(?:i|we)(?: have)? (?:escalated|forwarded|passed (?:this|it) on|raised this|logged (?:this|a)|linked your|added your|shared your case|reproduced)\b|\bour (?:engineers|engineering team|developers|billing team|product team|support team) (?:are|is|have|has|will)\b|\blet (?:me|us) know if (?:that|this|it|you)\b/;
const SUPPORT_SIGNATURE = /^.{0,60}\bsupport\s*$/im;

function looksLikeAgent(body: string): boolean {
  return AGENT_LIKE.test(cueForm(body)) || SUPPORT_SIGNATURE.test(body);
}

export function sumTypes(s: TypeScores): number {
  let x = 0;
  for (const t of ISSUE_TYPES) x += s[t];
  return x;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The thread as sources: subject, description, comments tagged customer / agent / internal. */
export function ticketSources(ticket: AnalyzerTicket): SourceText[] {
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

function isQuestion(s: Sentence): boolean {
  return /\?\s*$/.test(s.text) || (QUESTION_START.test(s.form) && !/[.!]\s*$/.test(s.text));
}

/** A customer sentence's cues; `followUp`: a comment after the description (weight 0.7, its noise ¼). */
function customerSentence(
  s: Sentence,
  src: SourceText,
  followUp: boolean,
): { signals: SentenceSignals; noiseWeight: number } {
  const form = s.form;
  const hits: string[] = [];
  const t = zeroTypes();
  const noise = zeroNoise();
  const question = isQuestion(s);
  let weight = 1;
  let noiseWeight = 1;
  let slow = 0;
  let typed = 0;
  let generic = 0;
  if (src.kind === 'subject') weight = 0.8;
  else if (followUp) {
    weight = 0.7;
    // Closings ("thanks, all sorted") and follow-up questions say little about the ticket's nature.
    noiseWeight = 0.25;
  }
  const resolved = RESOLVED.test(form) && !/\b(?:still|again|not|no longer|but)\b/.test(form);
  if (!resolved) {
    const after = consequenceIndex(form);
    for (const type of ISSUE_TYPES) t[type] = scoreCues(form, TYPE_CUES[type], hits, after);
    if (t.friction > 0) slow = Math.min(t.friction, scoreCues(form, SLOWNESS));
    generic = scoreCues(form, GENERIC_PROBLEM_CUES, hits);
    typed = sumTypes(t);
  }
  for (const k of NOISE_KINDS) noise[k] = scoreCues(form, NOISE_CUES[k], hits);
  // A how-to question that also names a failure ("why does the export fail?") is not a how-to, and
  // praise followed by a complaint ("great, but … is confusing") is not a thank-you.
  if (noise.how_to > 0 && (!question || typed >= 2)) noise.how_to = 0;
  if (noise.thanks > 0 && typed >= 2) noise.thanks = 0;
  const signals: SentenceSignals = {
    sentence: s,
    author: src.author,
    kind: src.kind,
    weight,
    question,
    resolved,
    aside: src.kind !== 'subject' && TOPIC_SWITCH.test(form) && typed >= 1.5,
    types: t,
    slow,
    problem: Math.min(SENTENCE_CAP, typed + generic),
    noise,
    hits,
  };
  return { signals, noiseWeight };
}

interface AgentScores {
  confirm: number;
  feature: number;
  doc: number;
  howto: number;
}

/** An agent reply's or internal note's sentence: it confirms, logs a request, points to docs or answers how-to. */
function agentSentence(s: Sentence, src: SourceText, sums: AgentScores): SentenceSignals {
  const form = s.form;
  const hits: string[] = [];
  sums.confirm += scoreCues(form, AGENT_CONFIRM_CUES, hits);
  sums.feature += scoreCues(form, AGENT_FEATURE_CUES, hits);
  sums.doc += scoreCues(form, AGENT_DOC_CUES, hits);
  if (src.author === 'agent') sums.howto += scoreCues(form, AGENT_HOWTO_CUES, hits);
  return {
    sentence: s,
    author: src.author,
    kind: src.kind,
    weight: 1,
    question: isQuestion(s),
    resolved: false,
    aside: false,
    types: zeroTypes(),
    slow: 0,
    problem: 0,
    noise: zeroNoise(),
    hits,
  };
}

/** Per-sentence evidence and the ticket's problem score, noise and decision (before the report's shape). */
export function ticketSignals(sources: readonly SourceText[], sentences: readonly Sentence[]): TicketSignals {
  const out: SentenceSignals[] = [];
  let problem = 0;
  const noiseByKind = zeroNoise();
  const agent: AgentScores = { confirm: 0, feature: 0, doc: 0, howto: 0 };
  let seenDescription = false;
  let regression = false;
  for (const s of sentences) {
    const src = sources[s.source];
    if (src.author !== 'customer') {
      out.push(agentSentence(s, src, agent));
      continue;
    }
    const { signals, noiseWeight } = customerSentence(s, src, src.kind === 'comment' && seenDescription);
    if (src.kind !== 'subject') seenDescription = true;
    if (signals.hits.includes('regression')) regression = true;
    for (const k of NOISE_KINDS) noiseByKind[k] += noiseWeight * signals.noise[k];
    problem += signals.weight * signals.problem;
    out.push(signals);
  }
  const agentConfirm = Math.min(4, agent.confirm);
  const agentFeature = Math.min(4, agent.feature);
  const agentDoc = Math.min(4, agent.doc);
  const agentHowto = Math.min(3, agent.howto);
  const types = zeroTypes();
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

/**
 * The report's shape (`shape.ts`) joins the sentence cues: a failure shape adds to the problem type the sentences
 * found (a data issue stays a data issue; bug when none), a request shape to feature_request, either to the problem
 * score (at most {@link SHAPE_PROBLEM_CAP}); a question shape, less the failure/request shape, counts against a
 * product problem but takes back at most what the shape added + {@link QUESTION_SLACK} — unless the shape is a
 * strong question (`shape.ts`) — and nothing when support confirms a problem. The form and the constants were
 * searched on the train half of NLBSE'24 with the simulator's seed-42 agreement held fixed
 * (bench/mining/combine-shape.ts); slack 1.5 (search: 2) keeps the analyzer's specs, strong question 0.7 (search: 0.8)
 * was picked on the train half (0.600 → 0.612) at the cost of one seed-42 ticket (recall 100 → 99.5 %).
 */
export function addShape(sig: TicketSignals, shape: ReportShape): void {
  let problemType: IssueType = 'bug';
  for (const t of PROBLEM_TYPES) if (sig.types[t] > sig.types[problemType] + 1e-9) problemType = t;
  sig.types[problemType] += shape.bug;
  sig.types.feature_request += shape.feature;
  const added = Math.min(SHAPE_PROBLEM_CAP, Math.max(shape.bug, shape.feature));
  sig.problem = round2(sig.problem + added);
  const confirmed = sig.agentConfirm + sig.agentFeature + sig.agentDoc >= 2;
  const asked = Math.max(0, shape.question - added);
  const question = confirmed ? 0 : Math.min(asked, shape.strongQuestion ? Infinity : added + QUESTION_SLACK);
  sig.decision = round2(sig.decision + added - question);
}

/** Weight of the hand-weighted shape of an untitled message against the sentence cues. */
const HAND_SHAPE_WEIGHT = 2;

/**
 * The hand-weighted shape of a message without a subject (`shape-cues.ts`), joined as before the learned shape: a
 * failure or a request shape adds 2× to the problem score and its type; a question shape (less half the failure or
 * request shape) counts 1.5× against a problem, but takes back at most what the shape added + 1, and nothing when
 * support confirms.
 */
export function addHandShape(sig: TicketSignals, shape: HandShape): void {
  const w = HAND_SHAPE_WEIGHT;
  const problem = w * Math.max(shape.bug, shape.feature);
  sig.types.bug += w * shape.bug;
  sig.types.feature_request += w * shape.feature;
  sig.problem = round2(sig.problem + problem);
  const confirmed = sig.agentConfirm + sig.agentFeature + sig.agentDoc >= 2;
  const asked = 1.5 * w * Math.max(0, shape.question - 0.5 * Math.max(shape.bug, shape.feature));
  const question = confirmed ? 0 : Math.min(asked, problem + 1);
  sig.decision = round2(sig.decision + problem - question);
}
