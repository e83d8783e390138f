import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSortHeaderHarness } from '@angular/material/sort/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { anIssueItem, aTaxonomy, pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, choose, tableRows } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { daysAgo } from '../../shared/issues/issue-labels';
import { ISSUES_ROUTES } from './issues.routes';

@Component({ template: '' })
class Blank {}

const CLUSTER_ID = 'c1a2b3c4-0000-4000-8000-000000000001';

describe('IssueListPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(url = '/issues'): Promise<HTMLElement> {
    storeSession(aUser({ role: 'viewer' }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'issues', children: ISSUES_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    return harness.routeNativeElement as HTMLElement;
  }

  const expectList = (): TestRequest => backend.expectOne((req) => req.url === '/api/issues');

  async function flush(request: TestRequest, body: unknown): Promise<void> {
    request.flush(body);
    await harness.fixture.whenStable();
  }

  const rows = (): Promise<string[][]> => tableRows(loader);

  const currentQuery = (): Record<string, string> =>
    TestBed.inject(Router).parseUrl(TestBed.inject(Router).url).queryParams as Record<string, string>;

  const button = (text: string, ancestor?: string): Promise<MatButtonHarness> =>
    loader.getHarness(MatButtonHarness.with({ text, ancestor }));
  const select = (testId: string): Promise<MatSelectHarness> =>
    loader.getHarness(MatSelectHarness.with({ selector: byTestId(testId) }));
  const paginator = (): Promise<MatPaginatorHarness> => loader.getHarness(MatPaginatorHarness);

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('lists issues filtered, sorted and paged as the URL says', async () => {
    const element = await render(
      '/issues?search=vat&category=billing&subcategory=invoices&issueType=bug,friction&severity=critical,high' +
        `&clusterId=${CLUSTER_ID}&days=7&sort=severity:desc&page=2&perPage=50`,
    );
    const request = expectList();
    const params = request.request.params;
    expect(params.get('search')).toBe('vat');
    expect(params.getAll('category')).toEqual(['billing']);
    expect(params.getAll('subcategory')).toEqual(['invoices']);
    expect(params.getAll('issueType')).toEqual(['bug', 'friction']);
    expect(params.getAll('severity')).toEqual(['critical', 'high']);
    expect(params.get('clusterId')).toBe(CLUSTER_ID);
    expect(params.get('startDate')).toBe(daysAgo(7).toISOString());
    expect(params.has('endDate')).toBe(false);
    expect(params.get('sort')).toBe('severity:desc');
    expect(params.get('page')).toBe('2');
    expect(params.get('perPage')).toBe('50');

    await flush(
      request,
      pageOf(
        [
          anIssueItem(),
          anIssueItem({
            id: 'i2',
            summary: 'Payment link expires too early',
            quote: null,
            subcategory: 'payments',
            issueType: 'friction',
            severity: 'critical',
            ticketId: 1077,
            ticketSubject: 'Link does not work',
            ticketCreatedAt: '2025-03-04T10:00:00.000Z',
          }),
        ],
        { total: 52, page: 2, perPage: 50 },
      ),
    );

    expect(await rows()).toEqual([
      [
        'Invoices apply the wrong VAT rateThe VAT on my invoice is 19% but it should be 7%.',
        'Billing › Invoices',
        'Bug',
        'High',
        'Wrong VAT rate on invoices',
        '#1042Invoice PDF shows the wrong VAT rate',
        'Mar 1, 2025',
      ],
      [
        'Payment link expires too early',
        'Billing › Payments',
        'Friction',
        'Critical',
        'Wrong VAT rate on invoices',
        '#1077Link does not work',
        'Mar 4, 2025',
      ],
    ]);
    const first = element.querySelector('tr[data-issue="i0000000-0000-4000-8000-000000000001"]');
    expect(first?.querySelector('.quote')?.textContent).toBe('The VAT on my invoice is 19% but it should be 7%.');
    expect(element.querySelector('tr[data-issue="i2"] .quote')).toBeNull();
    expect(first?.querySelector('[data-severity="high"]')?.textContent).toBe('High');
    expect(first?.querySelector('.cluster a')?.getAttribute('href')).toBe(`/clusters/${CLUSTER_ID}`);
    expect(element.querySelector('tr[data-issue="i2"] .ticket a')?.getAttribute('href')).toBe('/tickets/1077');
    expect(element.querySelector('[data-testid="cluster-filter"]')?.textContent).toContain(
      'Cluster: Wrong VAT rate on invoices',
    );
    expect(await (await paginator()).getRangeLabel()).toContain('51 – 52 of 52');
  });

  it('writes chosen filters, sort and page to the URL and sends them to the API', async () => {
    const element = await render();
    const initial = expectList();
    expect(initial.request.params.get('sort')).toBe('ticketCreatedAt:desc');
    expect(initial.request.params.has('startDate')).toBe(false);
    await flush(initial, pageOf([anIssueItem()], { total: 80 }));
    expect(element.querySelector('[data-testid="cluster-filter"]')).toBeNull();
    expect(await (await select('issue-period')).getValueText()).toContain('All time');

    const severities = await choose(loader, 'issue-severity', ['Critical', 'High']);
    expect(currentQuery()['severity']).toBe('critical,high');
    // Each click in a multi-select navigates: the last request carries both severities.
    const severityRequests = backend.match((req) => req.url === '/api/issues');
    expect(severityRequests.at(-1)?.request.params.getAll('severity')).toEqual(['critical', 'high']);
    severityRequests.at(-1)?.flush(pageOf([anIssueItem()], { total: 80 }));
    await harness.fixture.whenStable();
    await severities.close();

    await choose(loader, 'issue-period', ['Last 30 days']);
    expect(currentQuery()['days']).toBe('30');
    const period = expectList();
    expect(period.request.params.get('startDate')).toBe(daysAgo(30).toISOString());
    expect(period.request.params.getAll('severity')).toEqual(['critical', 'high']);
    await flush(period, pageOf([anIssueItem()], { total: 80 }));

    await (await loader.getHarness(MatInputHarness.with({ selector: byTestId('issue-search') }))).setValue('refund');
    await new Promise((resolve) => setTimeout(resolve, 350));
    await harness.fixture.whenStable();
    expect(currentQuery()['search']).toBe('refund');
    await flush(expectList(), pageOf([anIssueItem()], { total: 80 }));

    await (await loader.getHarness(MatSortHeaderHarness.with({ label: 'Severity' }))).click();
    expect(currentQuery()['sort']).toBe('severity:asc');
    await flush(expectList(), pageOf([anIssueItem()], { total: 80 }));

    await (await paginator()).goToNextPage();
    const next = expectList();
    expect(currentQuery()).toEqual({
      severity: 'critical,high',
      days: '30',
      search: 'refund',
      sort: 'severity:asc',
      page: '2',
    });
    expect(next.request.params.get('page')).toBe('2');
    expect(next.request.params.get('search')).toBe('refund');
    expect(next.request.params.get('sort')).toBe('severity:asc');
    await flush(next, pageOf([anIssueItem()], { total: 80, page: 2 }));
  });

  it('offers the subcategories of the chosen category and removes the cluster filter', async () => {
    const element = await render(`/issues?category=billing&clusterId=${CLUSTER_ID}`);
    await flush(expectList(), pageOf([anIssueItem()]));

    const subcategories = await choose(loader, 'issue-subcategory', ['Payments']);
    expect(await (await subcategories.getOptionGroups())[0].getLabelText()).toContain('Billing');
    expect(currentQuery()['subcategory']).toBe('payments');
    const subcategory = expectList();
    expect(subcategory.request.params.getAll('subcategory')).toEqual(['payments']);
    await flush(subcategory, pageOf([anIssueItem()]));
    await subcategories.close();

    await (await loader.getHarness(MatButtonHarness.with({ ancestor: byTestId('cluster-filter') }))).click();
    expect(currentQuery()).toEqual({ category: 'billing', subcategory: 'payments' });
    const unclustered = expectList();
    expect(unclustered.request.params.has('clusterId')).toBe(false);
    await flush(unclustered, pageOf([anIssueItem()]));
    expect(element.querySelector('[data-testid="cluster-filter"]')).toBeNull();
  });

  it('exports the current filter as CSV through the client', async () => {
    await render(`/issues?severity=critical&clusterId=${CLUSTER_ID}&days=90&search=vat&page=3`);
    await flush(expectList(), pageOf([anIssueItem()], { total: 120, page: 3 }));
    const createObjectURL = jest.fn(() => 'blob:issues');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);

    await (await button('Export CSV')).click();
    const request = backend.expectOne((req) => req.url === '/api/export/issues');
    const params = request.request.params;
    expect(params.getAll('severity')).toEqual(['critical']);
    expect(params.get('clusterId')).toBe(CLUSTER_ID);
    expect(params.get('startDate')).toBe(daysAgo(90).toISOString());
    expect(params.get('search')).toBe('vat');
    expect(params.get('sort')).toBe('ticketCreatedAt:desc');
    expect(params.has('page')).toBe(false);
    expect(params.has('perPage')).toBe(false);
    request.flush('id,summary\n1,VAT\n', {
      headers: { 'Content-Disposition': 'attachment; filename="issues-2025.csv"' },
    });
    await harness.fixture.whenStable();

    expect(createObjectURL).toHaveBeenCalled();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('issues-2025.csv');
    expect(snackBar.open).toHaveBeenCalledWith('Issues exported', undefined, expect.anything());
    click.mockRestore();
  });

  it('says when nothing matches and clears the filters', async () => {
    const element = await render(`/issues?severity=low&clusterId=${CLUSTER_ID}&days=7`);
    await flush(expectList(), pageOf([]));
    const empty = element.querySelector('[data-testid="issues-empty"]');
    expect(empty?.textContent).toContain('No issues match these filters.');
    // No issue names the cluster: the chip falls back to its id.
    expect(element.querySelector('[data-testid="cluster-filter"]')?.textContent).toContain(`Cluster: ${CLUSTER_ID}`);
    await (await button('Clear filters', byTestId('issues-empty'))).click();
    expect(currentQuery()).toEqual({});
    await flush(expectList(), pageOf([]));
    expect(element.querySelector('[data-testid="issues-empty"]')?.textContent).toContain('No issues yet');
  });

  it('offers a retry when the list cannot be loaded, and renders issue text as text', async () => {
    const element = await render();
    expectList().flush({ statusCode: 500, message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    await harness.fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The issues could not be loaded.');
    expect(snackBar.open).toHaveBeenCalledWith('Database unavailable', 'Dismiss', expect.anything());

    await (await button('Try again', '[role="alert"]')).click();
    const payload = '<img src=x onerror="alert(1)">';
    await flush(expectList(), pageOf([anIssueItem({ summary: payload, quote: payload, ticketSubject: payload })]));
    expect(element.querySelector('[role="alert"]')).toBeNull();
    expect(element.querySelector('.issue-summary')?.textContent).toBe(payload);
    expect(element.querySelector('.quote')?.textContent).toBe(payload);
    expect(element.querySelector('.ticket-subject')?.textContent).toBe(payload);
    expect(element.querySelector('tr[mat-row] img')).toBeNull();
  });
});
