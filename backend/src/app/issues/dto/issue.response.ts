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
  total!: number;
  page!: number;
  perPage!: number;
}
