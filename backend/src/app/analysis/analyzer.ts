import type { BilledCall } from '@app/llm/usage-ledger.service';
import type { IssueType, Severity, Taxonomy } from './taxonomy/taxonomy.types';

/** A ticket as the analyzers see it (the stored original; redaction happens inside an analyzer that sends text). */
export interface AnalysisTicket {
  zendeskId: number;
  contentHash: string;
  subject: string;
  status: string;
  priority: string | null;
  tags: string[];
  organization: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The whole thread in order; the first message is the description. */
  messages: AnalysisMessage[];
}

export interface AnalysisMessage {
  /** `customer` for end users, `agent` for support staff, `unknown` when the author was not synced. */
  author: 'customer' | 'agent' | 'unknown';
  /** false: an internal note. */
  public: boolean;
  body: string;
  createdAt: Date;
}

export type AnalysisStatus = 'issues_found' | 'no_product_issue' | 'failed';

export const PLATFORMS = ['web', 'ios', 'android', 'desktop', 'api'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** One product problem a ticket reports, as an analyzer returns it (quotes not yet verified). */
export interface ExtractedIssue {
  category: string;
  subcategory: string;
  issueType: IssueType;
  severity: Severity;
  /** ≤ 200 characters, specific ("CSV export times out for reports over 50k rows", not "Export problem"). */
  summary: string;
  detail: string;
  /** Words of the ticket that show the problem; kept only when they occur in the ticket. */
  quote: string | null;
  /** 0–1. */
  confidence: number;
  platform?: Platform | null;
  userSegment?: string | null;
  hasWorkaround?: boolean | null;
  businessImpact?: string | null;
}

// The run-stopping error and the billed call belong to the LLM layer; analysis code imports them from here too.
export { AnalysisHaltedError } from '@app/llm/errors';
export type { BilledCall } from '@app/llm/usage-ledger.service';

export interface AnalysisOutcome {
  status: AnalysisStatus;
  /** Why: what was found, why there is no product issue, or what failed. Never empty. */
  reason: string;
  issues: ExtractedIssue[];
  /** Every billed call this analysis took (retries included); empty for the local analyzer. */
  calls: BilledCall[];
  /** 0–1 how frustrated the customer reads, when the analyzer judged it (Claude); else the local scorer's. */
  frustration?: number | null;
}

/** What a model answer means for the ticket. */
export type Interpretation =
  | {
      kind: 'ok';
      status: 'issues_found' | 'no_product_issue';
      reason: string;
      issues: ExtractedIssue[];
      frustration?: number | null;
    }
  | { kind: 'invalid'; reason: string }
  | { kind: 'max_tokens'; reason: string }
  | { kind: 'refused'; reason: string };

/** Attempts already spent on a ticket (e.g. in a batch) when it continues realtime. */
export interface PriorAttempts {
  calls: BilledCall[];
  invalidAnswers: number;
  maxTokenStops: number;
}

/** The answer to one request of an ended batch: its billed call and what the answer means. */
export interface BatchAnswer {
  call: BilledCall;
  answer: Interpretation;
}

/**
 * Asynchronous batches (Anthropic Message Batches: half price, answered within 24 h). A run submits its tickets,
 * polls, records the answers, and analyses realtime (continuing the batch's attempts) what was not answered usably.
 */
export interface BatchCapability {
  /** Renders and submits one batch (`customId`s unique within it); returns the batch id. */
  submit(requests: ReadonlyArray<{ customId: string; ticket: AnalysisTicket }>, taxonomy: Taxonomy): Promise<string>;
  /** The batch's processing status: `ended` once every request is answered or expired. */
  status(batchId: string): Promise<string>;
  /** The answers of an ended batch by custom id: only requests that succeeded (billed). */
  results(batchId: string, taxonomy: Taxonomy): Promise<Map<string, BatchAnswer>>;
  /** Realtime analysis continuing from attempts already spent on the ticket. */
  analyzeRealtime(ticket: AnalysisTicket, taxonomy: Taxonomy, prior: PriorAttempts): Promise<AnalysisOutcome>;
}

/** A model chosen per run (the analysis settings) among those a provider offers this key. */
export interface ModelCapability {
  /** Switches the model for the calls that follow. */
  use(model: string): void;
  /** Model ids the provider offers. */
  list(): Promise<string[]>;
  /** Whether the provider knows this model id; failures other than "not found" throw. */
  exists(model: string): Promise<boolean>;
}

/**
 * The analyzer port: `claude` (Anthropic API) and `local` (offline) give the same output per ticket. What one can
 * do beyond `analyze` is asked through its optional capabilities, never from its name.
 */
export interface Analyzer {
  /** Recorded with every analysis. */
  readonly name: 'claude' | 'local';
  /** Model id (claude) or engine version (local). */
  readonly model: string;
  /** Checks the analyzer can run (e.g. the model id exists); throws `AnalysisHaltedError` with a clear message. */
  check?(): Promise<void>;
  /**
   * Analyses one ticket. Ticket-level problems come back as `status: 'failed'` with the reason; problems that
   * stop the run (spend limit) throw `AnalysisHaltedError`.
   */
  analyze(ticket: AnalysisTicket, taxonomy: Taxonomy): Promise<AnalysisOutcome>;
  /**
   * Calls it may have in flight at once: it waits on a remote API (and its calls are billed). Absent: CPU work in
   * this process with no billed calls; tickets are analysed in turn, a page at a time, and recorded together.
   */
  readonly concurrency?: number;
  /** The model is chosen per run among those a provider offers. */
  readonly models?: ModelCapability;
  /** Asynchronous batches, for large runs. */
  readonly batch?: BatchCapability;
}

export const ANALYZER = Symbol('ANALYZER');
