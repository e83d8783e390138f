/**
 * The tickets module's visibility rules as SQL conditions, written once: other modules' read queries that join
 * `tickets` use these instead of spelling the columns. `alias` is the table's alias in the query (none: unqualified).
 */
const column = (alias: string | undefined, name: string) => (alias ? `${alias}.${name}` : name);

/** A ticket that exists: not deleted (or scrubbed) in Zendesk. */
export const liveTicket = (alias?: string): string => `${column(alias, 'deleted_at')} IS NULL`;

/** A ticket that counts as a report of its own: live, and not merged into another ticket. */
export const reportedTicket = (alias?: string): string =>
  `${liveTicket(alias)} AND ${column(alias, 'merged_into_id')} IS NULL`;
