export class IssueResponse {
  id!: string;
  ticketId!: number;
  /** The id an imported file gave the ticket when it was not a Zendesk id (`TCK-1042`); null otherwise. */
  ticketOriginalId!: string | null;
  /** The ticket's subject. */
  ticketSubject!: string;
  category!: string;
  subcategory!: string;
  issueType!: string;
  severity!: string;
  summary!: string;
  detail!: string;
  /** Verbatim customer text from the ticket, or null. */
  quote!: string | null;
  confidence!: number;
  /** The ticket's creation time (trends count by it). */
  ticketCreatedAt!: Date;
  clusterId!: string | null;
  clusterName!: string | null;
  organizationName!: string | null;
  zendeskUrl!: string | null;
}

export class IssuePageResponse {
  items!: IssueResponse[];
  /** The number of matches, counted up to 10,000, or 1,000 with a search (then the cap, `totalExact` false). */
  total!: number;
  page!: number;
  perPage!: number;
  /** False when `total` is the count's cap: there are more matches than that. */
  totalExact!: boolean;
  /** The `cursor` of the next page (cheap at any depth), or null on the last page. */
  nextCursor!: string | null;
}
