import { ENTERPRISE, RENEWAL_WINDOW_DAYS } from './account.types';

/**
 * The accounts module's reads for other modules, as SQL written once (as `liveTicket()` of tickets): a query that
 * needs accounts' values joins them through these, never by spelling the table's columns.
 */

/**
 * The accounts behind a set of organizations. `organizationIds` is a SELECT whose one column is an organization
 * id (DISTINCT, NULLs left out). Columns: `affected_accounts` (the organizations), `arr_affected` (their ARR
 * sum, each organization once), `enterprise_accounts` (segment or plan "enterprise"), `renewing_accounts` (renewal
 * date within the next 90 days).
 */
export function accountImpact(organizationIds: string): string {
  return `SELECT count(*)::int AS affected_accounts, coalesce(sum(a.arr), 0)::float8 AS arr_affected,
      count(*) FILTER (WHERE lower(a.segment) = '${ENTERPRISE}' OR lower(a.plan) = '${ENTERPRISE}')::int
        AS enterprise_accounts,
      count(*) FILTER (WHERE a.renewal_date >= current_date
        AND a.renewal_date < current_date + ${RENEWAL_WINDOW_DAYS})::int AS renewing_accounts
    FROM (${organizationIds}) ao(organization_id) LEFT JOIN accounts a ON a.organization_id = ao.organization_id`;
}

/** The ARR of every account (one row, `total_arr`): the whole that a cluster's share of value is measured in. */
export const TOTAL_ARR = `SELECT coalesce(sum(arr), 0)::float8 AS total_arr FROM accounts`;

/**
 * An organization (`organizationId`: an SQL expression) whose account's segment or plan is one of `$param`
 * (lower-case names); `column`: which of the two.
 */
export const accountIn = (organizationId: string, column: 'segment' | 'plan', param: string): string =>
  `EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = ${organizationId} AND lower(a.${column}) = ANY(${param}))`;

/** The account values of an organization at an instant (`at`: an SQL expression), from the history: `arr_at`. */
export const arrAt = (organizationId: string, at: string): string =>
  `(SELECT h.arr FROM account_history h WHERE h.organization_id = ${organizationId} AND h.valid_from <= ${at}
     ORDER BY h.valid_from DESC, h.id DESC LIMIT 1)`;

/** An organization's account row as a LEFT JOIN (`alias`: the alias the join gives `accounts`). */
export const accountJoin = (organizationId: string, alias: string): string =>
  `LEFT JOIN accounts ${alias} ON ${alias}.organization_id = ${organizationId}`;
