import type { BilledCall } from '../llm/usage-ledger.service';
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
export { AnalysisHaltedError } from '../llm/errors';
export type { BilledCall } from '../llm/usage-ledger.service';

export interface AnalysisOutcome {
  status: AnalysisStatus;
  /** Why: what was found, why there is no product issue, or what failed. Never empty. */
  reason: string;
  issues: ExtractedIssue[];
  /** Every billed call this analysis took (retries included); empty for the local analyzer. */
  calls: BilledCall[];
}

/** The analyzer port: `claude` (Anthropic API) and `local` (offline) give the same output per ticket. */
export interface Analyzer {
  readonly name: 'claude' | 'local';
  /** Model id (claude) or engine version (local). */
  readonly model: string;
  /** Checks the analyzer can run (e.g. the model id exists); throws `AnalysisHaltedError` with a clear message. */
  check(): Promise<void>;
  /**
   * Analyses one ticket. Ticket-level problems come back as `status: 'failed'` with the reason; problems that
   * stop the run (spend limit) throw `AnalysisHaltedError`.
   */
  analyze(ticket: AnalysisTicket, taxonomy: Taxonomy): Promise<AnalysisOutcome>;
}

export const ANALYZER = Symbol('ANALYZER');
