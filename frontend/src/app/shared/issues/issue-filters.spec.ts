import { convertToParamMap } from '@angular/router';
import { hasIssueFilters, issueFilterParams, issueFilters } from './issue-filters';
import { daysAgo } from './issue-labels';

describe('issue filters', () => {
  it('reads types, severities and an offered period from the URL, dropping unknown values', () => {
    const filters = issueFilters(
      convertToParamMap({ issueType: 'bug, nonsense,data_issue', severity: 'critical,urgent', days: '90' }),
    );
    expect(filters).toEqual({ issueTypes: ['bug', 'data_issue'], severities: ['critical'], days: 90 });
    expect(hasIssueFilters(filters)).toBe(true);

    const none = issueFilters(convertToParamMap({ days: '12' }));
    expect(none).toEqual({ issueTypes: [], severities: [], days: null });
    expect(hasIssueFilters(none)).toBe(false);
  });

  it('sends only the filters that are set, a period as its start date', () => {
    expect(issueFilterParams({ issueTypes: [], severities: [], days: null })).toEqual({});
    expect(issueFilterParams({ issueTypes: ['bug'], severities: ['high', 'low'], days: 7 })).toEqual({
      issueType: ['bug'],
      severity: ['high', 'low'],
      startDate: daysAgo(7).toISOString(),
    });
  });
});
