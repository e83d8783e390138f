/** A cluster that stands on its own (not merged into another), as an SQL condition (`alias`: the table's alias). */
export const standingCluster = (alias?: string): string => `${alias ? `${alias}.` : ''}merged_into IS NULL`;
