import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ClusterDetailResponse, ExternalIssueResponse } from '@pim/api-client';
import { aClusterDetail } from '../../../testing/api-fixtures';
import { ClusterTrackerCard } from './cluster-tracker-card';

const ISSUE: ExternalIssueResponse = {
  provider: 'jira',
  key: 'PIM-7',
  url: 'https://acme.atlassian.net/browse/PIM-7',
  status: 'In Progress',
  statusCategory: 'in_progress',
  syncedAt: '2026-12-07T10:00:00.000Z',
  syncError: null,
};

describe('ClusterTrackerCard', () => {
  let fixture: ComponentFixture<ClusterTrackerCard>;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  async function render(canEdit: boolean, cluster: ClusterDetailResponse): Promise<HTMLElement> {
    fixture = TestBed.createComponent(ClusterTrackerCard);
    fixture.componentRef.setInput('cluster', cluster);
    fixture.componentRef.setInput('canEdit', canEdit);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const byTestId = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  it('shows the linked issue and its status; viewers get no actions and no request', async () => {
    const root = await render(false, { ...aClusterDetail(), externalIssue: ISSUE });
    expect(byTestId(root, 'tracker-issue')?.textContent).toContain('Jira PIM-7');
    expect(byTestId(root, 'tracker-status')?.textContent?.trim()).toBe('In Progress');
    expect(byTestId(root, 'tracker-open')).toBeNull();
  });

  it('editors open the form (the configured trackers), file the cluster and see the new issue', async () => {
    const cluster = aClusterDetail();
    const root = await render(true, { ...cluster, externalIssue: null });
    expect(root.textContent).toContain('Not filed in a tracker yet.');
    byTestId(root, 'tracker-open')!.click();
    backend.expectOne('/api/trackers').flush({ providers: ['jira', 'linear'] });
    await fixture.whenStable();
    expect(byTestId(root, 'create-linear')).not.toBeNull();
    byTestId(root, 'create-jira')!.click();
    const request = backend.expectOne(`/api/clusters/${cluster.id}/external-issue`);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ provider: 'jira' });
    request.flush({ ...ISSUE, status: 'To Do', statusCategory: 'todo' });
    await fixture.whenStable();
    expect(byTestId(root, 'tracker-issue')?.textContent).toContain('Jira PIM-7');
    expect(byTestId(root, 'tracker-status')?.textContent?.trim()).toBe('To Do');
  });

  it('shows the server message when a tracker refuses', async () => {
    const cluster = aClusterDetail();
    const root = await render(true, { ...cluster, externalIssue: null });
    byTestId(root, 'tracker-open')!.click();
    backend.expectOne('/api/trackers').flush({ providers: ['jira'] });
    await fixture.whenStable();
    byTestId(root, 'create-jira')!.click();
    backend
      .expectOne(`/api/clusters/${cluster.id}/external-issue`)
      .flush(
        { statusCode: 502, message: 'Jira: authentication failed (HTTP 401): check JIRA_EMAIL and JIRA_API_TOKEN' },
        { status: 502, statusText: 'Bad Gateway' },
      );
    await fixture.whenStable();
    expect(byTestId(root, 'tracker-error')?.textContent).toContain('Jira: authentication failed');
  });
});
