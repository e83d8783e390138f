import type { RedactionKind } from '@app/llm/redaction/redactor';

/** The taxonomy analysis classifies issues into. Data in the database (table `taxonomy`), edited by admins. */

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

// The redaction kinds belong to the LLM layer's redactor; the taxonomy stores which are on.
export { REDACTION_KINDS } from '@app/llm/redaction/redactor';
export type { RedactionKind } from '@app/llm/redaction/redactor';

export interface TaxonomySubcategory {
  /** Stable identifier stored on issues, e.g. `invoices`. */
  key: string;
  name: string;
  /** One line: what belongs here. */
  description: string;
  /** Earlier keys of this subcategory: issues stored under them still mean this one. */
  aliases: string[];
}

export interface TaxonomyCategory {
  key: string;
  name: string;
  description: string;
  aliases: string[];
  subcategories: TaxonomySubcategory[];
}

export interface TaxonomyTerm<K extends string = string> {
  key: K;
  description: string;
}

/** A rename, kept so existing issues (which keep their stored strings) can be read in today's terms. */
export interface TaxonomyRename {
  at: string;
  by: string | null;
  kind: 'category' | 'subcategory';
  /** For subcategories: `category/subcategory`. */
  from: string;
  to: string;
}

export interface TaxonomyData {
  categories: TaxonomyCategory[];
  issueTypes: TaxonomyTerm<IssueType>[];
  severities: TaxonomyTerm<Severity>[];
  /** What the product is and who uses it: given to the analyzer with the taxonomy. */
  productContext: string;
  /** Which kinds of personal data are replaced by placeholders before text leaves the process. */
  redaction: Record<RedactionKind, boolean>;
  history: TaxonomyRename[];
}

export interface Taxonomy extends TaxonomyData {
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** `category/subcategory` pairs, the values the analyzer may choose for a subcategory. */
export function subcategoryPaths(taxonomy: Pick<TaxonomyData, 'categories'>): string[] {
  return taxonomy.categories.flatMap((c) => c.subcategories.map((s) => `${c.key}/${s.key}`));
}
