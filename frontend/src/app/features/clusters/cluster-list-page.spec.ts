import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSortHeaderHarness } from '@angular/material/sort/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aCluster, aTaxonomy, pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, choose, tableRows } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { daysAgo } from '../../shared/issues/issue-labels';
import { CLUSTERS_ROUTES } from './clusters.routes';

@Component({ template: '' })
class Blank {}

describe('ClusterListPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(url = '/clusters'): Promise<HTMLElement> {
    storeSession(aUser({ role: 'viewer' }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'clusters', children: CLUSTERS_ROUTES },
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

  const expectList = (): TestRequest => backend.expectOne((req) => req.url === '/api/clusters');

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

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('lists clusters filtered, sorted and paged as the URL says', async () => {
    const element = await render(
      '/clusters?search=vat&category=billing&pmStatus=new,reviewing&emerging=true&sort=trendPct:desc&page=2&perPage=50',
    );
    const request = expectList();
    const params = request.request.params;
    expect(params.get('search')).toBe('vat');
    expect(params.getAll('category')).toEqual(['billing']);
    expect(params.getAll('pmStatus')).toEqual(['new', 'reviewing']);
    expect(params.get('emerging')).toBe('true');
    expect(params.get('active')).toBe('true');
    expect(params.get('sort')).toBe('trendPct:desc');
    expect(params.get('page')).toBe('2');
    expect(params.get('perPage')).toBe('50');

    await flush(
      request,
      pageOf(
        [
          aCluster(),
          aCluster({ id: 'c2', name: 'CSV export times out', trendPct: -10, pmStatus: 'in_progress', emerging: true }),
        ],
        { total: 52, page: 2, perPage: 50 },
      ),
    );

    expect(await rows()).toEqual([
      ['Wrong VAT rate on invoices', 'Billing › Invoices', '42', '17', '▲ +50%', 'Mar 2, 2025', 'New'],
      ['CSV export times outEmerging', 'Billing › Invoices', '42', '17', '▼ −10%', 'Mar 2, 2025', 'In progress'],
    ]);
    expect(element.querySelector('tr[data-cluster="c2"] a')?.getAttribute('href')).toBe('/clusters/c2');
    expect(await (await loader.getHarness(MatPaginatorHarness)).getRangeLabel()).toContain('51 – 52 of 52');
  });

  it('sends the issue type, severity and period of the URL to the API and ignores unknown values', async () => {
    await render('/clusters?issueType=bug,nonsense,data_issue&severity=critical,urgent&days=90');
    const request = expectList();
    const params = request.request.params;
    expect(params.getAll('issueType')).toEqual(['bug', 'data_issue']);
    expect(params.getAll('severity')).toEqual(['critical']);
    expect(params.get('startDate')).toBe(daysAgo(90).toISOString());
    expect(params.has('endDate')).toBe(false);
    await flush(request, pageOf([aCluster()]));
    expect(await (await select('cluster-issue-type')).getValueText()).toContain('Bug, Data issue');
    expect(await (await select('cluster-severity')).getValueText()).toContain('Critical');
    expect(await (await select('cluster-period')).getValueText()).toContain('Last 90 days');

    // A period that is not offered is all time.
    await harness.navigateByUrl('/clusters?days=12');
    const all = expectList();
    expect(all.request.params.has('startDate')).toBe(false);
    await flush(all, pageOf([aCluster()]));
    expect(await (await select('cluster-period')).getValueText()).toContain('All time');
  });

  it('writes chosen issue type, severity and period to the URL and sends them to the API', async () => {
    await render();
    const initial = expectList();
    expect(initial.request.params.has('issueType')).toBe(false);
    expect(initial.request.params.has('severity')).toBe(false);
    expect(initial.request.params.has('startDate')).toBe(false);
    await flush(initial, pageOf([aCluster()], { total: 80 }));

    const types = await choose(loader, 'cluster-issue-type', ['Bug', 'Ux confusion']);
    expect(currentQuery()['issueType']).toBe('bug,ux_confusion');
    // Each click in a multi-select navigates: the last request carries both types.
    const typeRequests = backend.match((req) => req.url === '/api/clusters');
    expect(typeRequests.at(-1)?.request.params.getAll('issueType')).toEqual(['bug', 'ux_confusion']);
    typeRequests.at(-1)?.flush(pageOf([aCluster()], { total: 80 }));
    await harness.fixture.whenStable();
    await types.close();

    const severities = await choose(loader, 'cluster-severity', ['High']);
    expect(currentQuery()['severity']).toBe('high');
    const severity = expectList();
    expect(severity.request.params.getAll('severity')).toEqual(['high']);
    expect(severity.request.params.getAll('issueType')).toEqual(['bug', 'ux_confusion']);
    await flush(severity, pageOf([aCluster()], { total: 80 }));
    await severities.close();

    await choose(loader, 'cluster-period', ['Last 7 days']);
    expect(currentQuery()).toEqual({ issueType: 'bug,ux_confusion', severity: 'high', days: '7' });
    const period = expectList();
    expect(period.request.params.get('startDate')).toBe(daysAgo(7).toISOString());
    expect(period.request.params.getAll('severity')).toEqual(['high']);
    expect(period.request.params.get('page')).toBe('1');
    await flush(period, pageOf([aCluster()], { total: 80 }));

    await choose(loader, 'cluster-period', ['All time']);
    expect(currentQuery()['days']).toBeUndefined();
    const allTime = expectList();
    expect(allTime.request.params.has('startDate')).toBe(false);
    await flush(allTime, pageOf([]));

    // "Clear filters" drops the new filters too.
    await (await button('Clear filters', byTestId('clusters-empty'))).click();
    expect(currentQuery()).toEqual({});
    const cleared = expectList();
    expect(cleared.request.params.has('issueType')).toBe(false);
    expect(cleared.request.params.has('severity')).toBe(false);
    await flush(cleared, pageOf([aCluster()]));
  });

  it('keeps a new sort and page in the URL', async () => {
    await render();
    await flush(expectList(), pageOf([aCluster()], { total: 80 }));

    await (await loader.getHarness(MatSortHeaderHarness.with({ label: 'Customers' }))).click();
    expect(currentQuery()['sort']).toBe('uniqueCustomers:asc');
    await flush(expectList(), pageOf([aCluster()], { total: 80 }));

    await (await loader.getHarness(MatPaginatorHarness)).goToNextPage();
    const next = expectList();
    expect(next.request.params.get('page')).toBe('2');
    expect(next.request.params.get('sort')).toBe('uniqueCustomers:asc');
    await flush(next, pageOf([aCluster()], { total: 80, page: 2 }));
  });

  it('exports the current filter as CSV through the client', async () => {
    await render('/clusters?pmStatus=fixed&active=false&issueType=bug&severity=critical,high&days=30');
    const list = expectList();
    expect(list.request.params.get('active')).toBe('false');
    await flush(list, pageOf([aCluster()]));
    const createObjectURL = jest.fn(() => 'blob:clusters');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);

    await (await button('Export CSV')).click();
    const request = backend.expectOne((req) => req.url === '/api/export/clusters');
    expect(request.request.params.getAll('pmStatus')).toEqual(['fixed']);
    expect(request.request.params.get('active')).toBe('false');
    expect(request.request.params.getAll('issueType')).toEqual(['bug']);
    expect(request.request.params.getAll('severity')).toEqual(['critical', 'high']);
    expect(request.request.params.get('startDate')).toBe(daysAgo(30).toISOString());
    expect(request.request.params.has('page')).toBe(false);
    request.flush('id,name\n1,VAT\n', {
      headers: { 'Content-Disposition': 'attachment; filename="clusters-2025.csv"' },
    });
    await harness.fixture.whenStable();

    expect(createObjectURL).toHaveBeenCalled();
    expect(click).toHaveBeenCalled();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('clusters-2025.csv');
    expect(snackBar.open).toHaveBeenCalledWith('Clusters exported', undefined, expect.anything());
    click.mockRestore();
  });

  it('says when nothing matches and clears the filters', async () => {
    const element = await render('/clusters?pmStatus=fixed');
    await flush(expectList(), pageOf([]));
    const empty = element.querySelector('[data-testid="clusters-empty"]');
    expect(empty?.textContent).toContain('No clusters match these filters.');
    await (await button('Clear filters', byTestId('clusters-empty'))).click();
    expect(currentQuery()).toEqual({});
    await flush(expectList(), pageOf([]));
    expect(element.querySelector('[data-testid="clusters-empty"]')?.textContent).toContain('No clusters yet');
  });

  it('offers a retry when the list cannot be loaded', async () => {
    const element = await render();
    expectList().flush({ statusCode: 500, message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('Database unavailable', 'Dismiss', expect.anything());
    await (await button('Try again', '[role="alert"]')).click();
    await flush(expectList(), pageOf([aCluster({ name: '<img src=x onerror="alert(1)">' })]));
    expect((await rows())[0][0]).toBe('<img src=x onerror="alert(1)">');
    expect(element.querySelector('tr[mat-row] img')).toBeNull();
  });
});
