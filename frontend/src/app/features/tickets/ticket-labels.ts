import { ListTickets$Params, TicketAnalysisResponse, TicketCommentResponse } from '@pim/api-client';

export type TicketStatus = NonNullable<ListTickets$Params['status']>[number];
export type TicketSort = NonNullable<ListTickets$Params['sort']>;

/** Zendesk's ticket statuses, in workflow order. */
export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

export const TICKET_SORTS: readonly TicketSort[] = [
  'createdAt:desc',
  'createdAt:asc',
  'updatedAt:desc',
  'updatedAt:asc',
];

export const AUTHOR_ROLE_LABELS: Record<TicketCommentResponse['authorRole'], string> = {
  'end-user': 'Customer',
  agent: 'Agent',
  admin: 'Admin',
  unknown: 'Unknown role',
};

export const ANALYSIS_STATUS_LABELS: Record<TicketAnalysisResponse['status'], string> = {
  issues_found: 'Issues found',
  no_product_issue: 'No product issue',
  failed: 'Failed',
};

/** "ux_confusion" → "Ux confusion"; keys from the taxonomy read as words. */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}
