/**
 * Input and output shapes of the local (offline) ticket analyzer. The output has the same shape as the
 * Claude analyzer's (analysis port): status, reason and 0..n issues.
 */

export const ISSUE_TYPES = [
  'bug',
  'friction',
  'ux_confusion',
  'feature_request',
  'documentation_gap',
  'data_issue',
] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AuthorRole = 'end-user' | 'agent' | 'admin' | 'unknown';

export interface AnalyzerComment {
  body: string;
  /** false = internal note (always agent-authored). */
  public: boolean;
  /** Unknown or missing: public comments are classified by their wording (agent-like or not). */
  authorRole?: AuthorRole;
}

export interface AnalyzerTicket {
  subject: string;
  /** The ticket's description (the requester's first message). */
  description?: string;
  /**
   * Further comments in thread order. When the first comment repeats the description (Zendesk lists the
   * description as comment 0) it is recognised and skipped.
   */
  comments?: readonly AnalyzerComment[];
  tags?: readonly string[];
}

export interface TaxonomySubcategory {
  name: string;
  description: string;
  keywords?: readonly string[];
}

export interface TaxonomyCategory {
  name: string;
  description: string;
  keywords?: readonly string[];
  subcategories: readonly TaxonomySubcategory[];
}

export interface AnalyzerTaxonomy {
  categories: readonly TaxonomyCategory[];
}

export interface AnalyzedIssue {
  category: string;
  /** '' when the chosen category has no subcategories. */
  subcategory: string;
  issueType: IssueType;
  severity: Severity;
  /** ≤ 200 characters, built from the most informative sentence. */
  summary: string;
  /** ≤ 600 characters. */
  detail: string;
  /** ≤ 300 characters: a verbatim substring of the ticket's customer-authored text (subject, description or end-user comment). */
  quote: string;
  /** 0–1. */
  confidence: number;
  /** web, ios, android, desktop or api, when the customer's text names one. */
  platform?: 'web' | 'ios' | 'android' | 'desktop' | 'api';
  hasWorkaround?: boolean;
  businessImpact?: string;
}

export interface TicketAnalysis {
  status: 'issues_found' | 'no_product_issue';
  reason: string;
  issues: AnalyzedIssue[];
}

export interface LocalAnalyzerOptions {
  /** Most issues per ticket (default 3, at least 1). */
  maxIssues?: number;
  /**
   * Decision threshold on the ticket's problem score (customer cues + agent confirmation − noise cues).
   * Default 2. Lower = more recall, less precision.
   */
  problemThreshold?: number;
  /** Use ticket tags as weak evidence for the category (default true). */
  useTags?: boolean;
}
