import { ParamMap } from '@angular/router';
import { IssueType, Severity } from '@pim/api-client';
import { listParam } from '../list-params';
import { daysAgo, ISSUE_TYPES, PERIODS, SEVERITIES } from './issue-labels';

/**
 * The issue filters the cluster and issue lists share, kept in the URL as `issueType`, `severity` (comma-separated)
 * and `days`.
 */
export interface IssueFilters {
  issueTypes: IssueType[];
  severities: Severity[];
  /** Last N days of ticket creation, or null for all time. */
  days: number | null;
}

export const ISSUE_FILTER_PARAMS = ['issueType', 'severity', 'days'] as const;

/** The issue filters of the URL; unknown types, severities and periods are dropped. */
export function issueFilters(params: ParamMap): IssueFilters {
  const days = Number(params.get('days'));
  return {
    issueTypes: listParam(params.get('issueType')).filter((type): type is IssueType =>
      ISSUE_TYPES.includes(type as IssueType),
    ),
    severities: listParam(params.get('severity')).filter((severity): severity is Severity =>
      SEVERITIES.includes(severity as Severity),
    ),
    days: PERIODS.includes(days) ? days : null,
  };
}

export function hasIssueFilters(filters: IssueFilters): boolean {
  return !!(filters.issueTypes.length || filters.severities.length || filters.days);
}

/** The issue filters as the list and export endpoints take them (a period becomes a `startDate`). */
export function issueFilterParams(filters: IssueFilters): {
  issueType?: IssueType[];
  severity?: Severity[];
  startDate?: string;
} {
  return {
    ...(filters.issueTypes.length ? { issueType: filters.issueTypes } : {}),
    ...(filters.severities.length ? { severity: filters.severities } : {}),
    ...(filters.days ? { startDate: daysAgo(filters.days).toISOString() } : {}),
  };
}
