/** The analysis module's visibility rule for `issues`, as an SQL condition (`alias`: the table's alias, if any). */
export const visibleIssue = (alias?: string): string => `NOT ${alias ? `${alias}.` : ''}hidden`;
