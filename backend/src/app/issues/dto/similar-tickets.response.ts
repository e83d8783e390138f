export class SimilarTicketResponse {
  zendeskId!: number;
  /** The id an imported file gave the ticket when it was not a Zendesk id (`TCK-1042`); absent otherwise. */
  originalId?: string;
  subject!: string;
  status!: string;
  createdAt!: Date;
  /** Cosine similarity of the two tickets' texts (subject weighted, description; 0–1). */
  score!: number;
  /** Clusters both tickets have issues in. */
  sharedClusterIds!: string[];
  zendeskUrl!: string | null;
}

export class SimilarTicketsResponse {
  zendeskId!: number;
  items!: SimilarTicketResponse[];
}
