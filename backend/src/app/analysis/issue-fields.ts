/** What an issue says: the same seven fields in the store, the API and the CLI's output. */
export interface IssueFields {
  category: string;
  subcategory: string;
  issueType: string;
  severity: string;
  summary: string;
  detail: string;
  quote: string | null;
}

/** Those fields as a row of `issues` holds them (snake_case columns). */
export type IssueFieldsRow = Omit<IssueFields, 'issueType'> & { issue_type: string };

/** An issue's fields from its row, in their usual order (responses keep it). */
export const issueFieldsOf = (r: IssueFieldsRow): IssueFields => ({
  category: r.category,
  subcategory: r.subcategory,
  issueType: r.issue_type,
  severity: r.severity,
  summary: r.summary,
  detail: r.detail,
  quote: r.quote,
});
