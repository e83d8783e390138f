/**
 * Ticket attributes as Zendesk's API names and types them: the tickets table mirrors them as columns of the same
 * names (a Zendesk ticket payload and a written row share them).
 */
export interface ZendeskTicketAttributes {
  priority: string | null;
  type: string | null;
  tags: string[];
  requester_id: number | null;
  submitter_id: number | null;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  brand_id: number | null;
}
