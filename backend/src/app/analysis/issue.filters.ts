/** The analysis module's visibility rule for `issues`, as an SQL condition (`alias`: the table's alias, if any). */
export const visibleIssue = (alias?: string): string => `NOT ${alias ? `${alias}.` : ''}hidden`;

/**
 * A ticket's frustration (0–1) from its latest analysis that has one, as an SQL expression (`ticketId`: the
 * ticket's id expression, e.g. `t.zendesk_id`); NULL when none has.
 */
export const ticketFrustration = (ticketId: string): string =>
  `(SELECT ta.frustration FROM ticket_analyses ta WHERE ta.ticket_id = ${ticketId} AND ta.frustration IS NOT NULL
     ORDER BY ta.created_at DESC LIMIT 1)`;
