import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatButtonToggleHarness } from '@angular/material/button-toggle/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aCluster, aClusterBrief, aSummary, aSyncStatus, pageOf, someTrends } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { DASHBOARD_ROUTES } from './dashboard.routes';

@Component({ template: '' })
class Blank {}

describe('DashboardPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(url = '/dashboard'): Promise<HTMLElement> {
    storeSession(aUser({ role: 'viewer' }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'dashboard', children: DASHBOARD_ROUTES },
          { path: '**', component: Blank },
        ]),
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return harness.routeNativeElement as HTMLElement;
  }

  const expectSummary = (): TestRequest => backend.expectOne((req) => req.url === '/api/issues/summary');
  const expectTrends = (): TestRequest => backend.expectOne((req) => req.url === '/api/issues/trends');
  const expectClusters = (): TestRequest => backend.expectOne((req) => req.url === '/api/clusters');
  const expectStatus = (): TestRequest => backend.expectOne('/api/sync/status');

  async function flushAll(): Promise<void> {
    expectSummary().flush(aSummary());
    expectTrends().flush(someTrends());
    expectClusters().flush(
      pageOf([
        aCluster(),
        aCluster({
          id: 'c2',
          name: 'CSV export times out',
          trendPct: -25,
          issueCount: 30,
          uniqueCustomers: 11,
          pmStatus: 'in_progress',
        }),
      ]),
    );
    expectStatus().flush(aSyncStatus());
    await harness.fixture.whenStable();
  }

  /** Checks the toggle with this text in the toggle group with this test id. */
  async function toggle(group: string, text: string): Promise<void> {
    await (await loader.getHarness(MatButtonToggleHarness.with({ ancestor: byTestId(group), text }))).check();
  }

  const text = (element: HTMLElement, testId: string): string =>
    element.querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('shows the summary numbers, the stacked chart, top and emerging clusters and the runs', async () => {
    const element = await render();
    const summary = expectSummary();
    expect(summary.request.params.get('days')).toBe('30');
    const trends = expectTrends();
    expect(trends.request.params.get('interval')).toBe('day');
    const clusters = expectClusters();
    expect(clusters.request.params.get('sort')).toBe('issueCount:desc');
    expect(clusters.request.params.get('perPage')).toBe('10');
    summary.flush(aSummary());
    trends.flush(someTrends());
    clusters.flush(pageOf([aCluster(), aCluster({ id: 'c2', name: 'CSV export times out', trendPct: -25 })]));
    expectStatus().flush(aSyncStatus());
    await harness.fixture.whenStable();

    expect(text(element, 'stat-issues')).toBe('314');
    // Each number is named by its label for assistive technology.
    const issuesCard = element.querySelector('[role="group"][aria-labelledby="stat-issues-label"]');
    expect(element.querySelector('#stat-issues-label')?.textContent).toBe('Issues');
    expect(issuesCard?.querySelector('[data-testid="stat-issues"]')?.textContent?.trim()).toBe('314');
    expect(text(element, 'stat-critical-high')).toBe('57');
    expect(text(element, 'stat-tickets')).toBe('250');
    expect(text(element, 'stat-new-clusters')).toBe('6');

    const chart = element.querySelector('svg[data-testid="trend-chart"]');
    expect(chart?.getAttribute('role')).toBe('img');
    expect(chart?.getAttribute('aria-label')).toContain('Issues per day by category: 15 in 3 days');
    expect(chart?.querySelectorAll('rect[data-category="billing"]').length).toBe(3);
    expect(chart?.querySelectorAll('rect[data-category="payments"]').length).toBe(2);
    const table = element.querySelector('pim-stacked-bar-chart table');
    expect(Array.from(table?.querySelectorAll('thead th') ?? []).map((th) => th.textContent?.trim())).toEqual([
      'Day',
      'Billing',
      'Payments',
      'Total',
    ]);
    expect(table?.querySelectorAll('tbody tr').length).toBe(3);

    const rows = Array.from(element.querySelectorAll('[data-testid="top-clusters"] tbody tr'));
    expect(rows.length).toBe(2);
    expect(rows[0].querySelector('a')?.getAttribute('href')).toBe('/clusters/c1a2b3c4-0000-4000-8000-000000000001');
    expect(rows[0].textContent).toContain('Wrong VAT rate on invoices');
    expect(rows[0].querySelector('.trend')?.getAttribute('data-direction')).toBe('up');
    expect(rows[0].querySelector('.trend')?.textContent).toContain('+50%');
    expect(rows[1].querySelector('.trend')?.getAttribute('data-direction')).toBe('down');
    expect(rows[1].querySelector('.trend')?.textContent).toContain('−25%');
    expect(rows[0].textContent).toContain('New');

    expect(text(element, 'emerging-clusters')).toContain('Bank sync stops after login');
    expect(text(element, 'emerging-clusters')).toContain('7 this week, 1 the week before');
    expect(text(element, 'runs')).toContain('Sync · Succeeded');
    expect(text(element, 'runs')).toContain('Mar 3, 2025');
  });

  it('keeps the period and the interval in the URL and reloads for them', async () => {
    const element = await render('/dashboard?days=90');
    expect(expectSummary().request.params.get('days')).toBe('90');
    expect(expectTrends().request.params.get('days')).toBe('90');
    expectClusters().flush(pageOf([]));
    expectStatus().flush(aSyncStatus());
    await harness.fixture.whenStable();

    await toggle('period', '7 days');
    expect(TestBed.inject(Router).url).toBe('/dashboard?days=7');
    expect(expectSummary().request.params.get('days')).toBe('7');
    expectTrends().flush(someTrends({ days: 7 }));
    await harness.fixture.whenStable();

    await toggle('interval', 'Weekly');
    expect(TestBed.inject(Router).url).toBe('/dashboard?days=7&interval=week');
    const trends = expectTrends();
    expect(trends.request.params.get('interval')).toBe('week');
    trends.flush(someTrends({ interval: 'week' }));
    await harness.fixture.whenStable();
    expect(element.querySelector('svg[data-testid="trend-chart"]')?.getAttribute('aria-label')).toContain(
      'Issues per week',
    );
  });

  it('says so when there are no issues or clusters yet', async () => {
    const element = await render();
    expectSummary().flush(aSummary({ issues: 0, tickets: 0, newClusters: 0, bySeverity: [], emerging: [] }));
    expectTrends().flush(
      someTrends({ series: [{ category: 'billing', total: 0, points: [{ date: '2025-03-01', count: 0 }] }] }),
    );
    expectClusters().flush(pageOf([]));
    expectStatus().flush(aSyncStatus({ lastRun: null, nextScheduledAt: null }));
    await harness.fixture.whenStable();

    expect(text(element, 'stat-issues')).toBe('0');
    expect(text(element, 'trend-empty')).toBe('No issues in this period yet.');
    expect(element.querySelector('svg[data-testid="trend-chart"]')).toBeNull();
    expect(element.textContent).toContain('No clusters yet');
    expect(text(element, 'emerging-clusters')).toContain('Nothing is growing fast right now.');
    expect(text(element, 'runs')).toContain('None yet');
    expect(text(element, 'runs')).toContain('Not scheduled');
  });

  it('shows cluster names with markup as text', async () => {
    const element = await render();
    expectSummary().flush(aSummary({ emerging: [aClusterBrief({ name: '<img src=x onerror="alert(1)">' })] }));
    expectTrends().flush(someTrends());
    expectClusters().flush(pageOf([aCluster({ name: '<script>window.pwned=1</script>' })]));
    expectStatus().flush(aSyncStatus());
    await harness.fixture.whenStable();

    expect(text(element, 'top-clusters')).toContain('<script>window.pwned=1</script>');
    expect(text(element, 'emerging-clusters')).toContain('<img src=x onerror="alert(1)">');
    expect(element.querySelector('img, script')).toBeNull();
  });

  it('offers a retry when a part fails', async () => {
    const element = await render();
    expectSummary().flush({ statusCode: 500, message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    expectTrends().flush(someTrends());
    expectClusters().flush(pageOf([]));
    expectStatus().flush(aSyncStatus());
    await harness.fixture.whenStable();

    expect(snackBar.open).toHaveBeenCalledWith('Database unavailable', 'Dismiss', expect.anything());
    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Part of the dashboard could not be loaded.');
    await (await loader.getHarness(MatButtonHarness.with({ ancestor: '[role="alert"]', text: 'Try again' }))).click();
    await flushAll();
    expect(text(element, 'stat-issues')).toBe('314');
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });
});
