import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatProgressBarHarness } from '@angular/material/progress-bar/testing';
import { MatSortHeaderHarness } from '@angular/material/sort/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aTicketSummary, pageOf } from '../../../testing/api-fixtures';
import { byTestId, tableRows } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { pagingInterceptor } from '../../core/http/paging';
import { TICKETS_ROUTES } from './tickets.routes';

@Component({ template: '' })
class Blank {}

describe('TicketListPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(url: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'tickets', children: TICKETS_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([pagingInterceptor, httpErrorInterceptor])),
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

  function expectList(): TestRequest {
    return backend.expectOne((req) => req.url === '/api/tickets');
  }

  async function flushList(request: TestRequest, body: unknown): Promise<void> {
    request.flush(body);
    await harness.fixture.whenStable();
  }

  const rows = (): Promise<string[][]> => tableRows(loader, { collapse: false });
  const loading = (): Promise<boolean> =>
    loader.hasHarness(MatProgressBarHarness.with({ selector: '[aria-label="Loading tickets"]' }));
  const search = (): Promise<MatInputHarness> =>
    loader.getHarness(MatInputHarness.with({ selector: byTestId('ticket-search') }));
  const button = (text: string, ancestor: string): Promise<MatButtonHarness> =>
    loader.getHarness(MatButtonHarness.with({ text, ancestor }));

  function currentQuery(): Record<string, string> {
    const tree = TestBed.inject(Router).parseUrl(TestBed.inject(Router).url);
    return tree.queryParams as Record<string, string>;
  }

  beforeEach(() => snackBar.open.mockReset());
  afterEach(() => backend.verify());

  it('lists tickets with links to their pages, filtered and paged as the URL says', async () => {
    const element = await render(
      '/tickets?search=vat&status=open,pending&from=2025-03-01&to=2025-03-31&page=2&perPage=50',
    );

    const request = expectList();
    const params = request.request.params;
    expect(params.get('search')).toBe('vat');
    expect(params.getAll('status')).toEqual(['open', 'pending']);
    expect(new Date(params.get('startDate') ?? '').getTime()).toBe(new Date(2025, 2, 1).getTime());
    expect(new Date(params.get('endDate') ?? '').getTime()).toBe(new Date(2025, 3, 1).getTime());
    expect(params.get('sort')).toBe('createdAt:desc');
    expect(params.get('page')).toBe('2');
    expect(params.get('perPage')).toBe('50');
    expect(await loading()).toBe(true);

    await flushList(
      request,
      pageOf([aTicketSummary(), aTicketSummary({ zendeskId: 1043, subject: 'Cannot export CSV', status: 'pending' })], {
        total: 52,
        page: 2,
        perPage: 50,
      }),
    );

    expect(await loading()).toBe(false);
    expect((await rows()).map((cells) => cells.slice(0, 4))).toEqual([
      ['1042', 'Invoice PDF shows the wrong VAT rate', 'open', 'Acme GmbH'],
      ['1043', 'Cannot export CSV', 'pending', 'Acme GmbH'],
    ]);
    expect(element.querySelector('tr[data-ticket="1043"] a')?.getAttribute('href')).toBe('/tickets/1043');
    expect(await (await loader.getHarness(MatPaginatorHarness)).getRangeLabel()).toContain('51 – 52 of 52');
    expect(await (await search()).getValue()).toBe('vat');
  });

  it('keeps a new sort and page in the URL and loads them', async () => {
    await render('/tickets');
    await flushList(expectList(), pageOf([aTicketSummary()], { total: 80 }));

    await (await loader.getHarness(MatSortHeaderHarness.with({ label: 'Updated' }))).click();

    expect(currentQuery()['sort']).toBe('updatedAt:asc');
    const sorted = expectList();
    expect(sorted.request.params.get('sort')).toBe('updatedAt:asc');
    await flushList(sorted, pageOf([aTicketSummary()], { total: 80 }));

    await (await loader.getHarness(MatPaginatorHarness)).goToNextPage();

    expect(currentQuery()['page']).toBe('2');
    const next = expectList();
    expect(next.request.params.get('page')).toBe('2');
    expect(next.request.params.get('sort')).toBe('updatedAt:asc');
    await flushList(next, pageOf([aTicketSummary()], { total: 80, page: 2 }));
  });

  it('puts a typed search in the URL after a pause and starts again from page 1', async () => {
    await render('/tickets?page=3');
    await flushList(expectList(), pageOf([aTicketSummary()], { total: 100, page: 3 }));

    const input = await search();
    await input.setValue('refund');
    await new Promise((resolve) => setTimeout(resolve, 350));
    await harness.fixture.whenStable();

    expect(currentQuery()).toEqual({ search: 'refund' });
    const request = expectList();
    expect(request.request.params.get('search')).toBe('refund');
    expect(request.request.params.get('page')).toBe('1');
    await flushList(request, pageOf([]));
    expect(await input.getValue()).toBe('refund');
  });

  it('says when no ticket matches the filters and clears them', async () => {
    const element = await render('/tickets?status=hold');
    await flushList(expectList(), pageOf([]));

    const empty = element.querySelector('[data-testid="tickets-empty"]');
    expect(empty?.textContent).toContain('No tickets match these filters.');
    await (await button('Clear filters', byTestId('tickets-empty'))).click();

    expect(currentQuery()).toEqual({});
    await flushList(expectList(), pageOf([]));
    expect(element.querySelector('[data-testid="tickets-empty"]')?.textContent).toContain('No tickets yet');
  });

  it('shows subjects with markup as text', async () => {
    const element = await render('/tickets');
    await flushList(expectList(), pageOf([aTicketSummary({ subject: '<img src=x onerror="alert(1)">' })]));

    expect(element.querySelector('tr[mat-row] a')?.textContent?.trim()).toBe('<img src=x onerror="alert(1)">');
    expect(element.querySelector('tr[mat-row] img')).toBeNull();
  });

  it('offers a retry when the list cannot be loaded', async () => {
    const element = await render('/tickets');
    expectList().flush({ statusCode: 500, message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    await harness.fixture.whenStable();

    expect(snackBar.open).toHaveBeenCalledWith('Database unavailable', 'Dismiss', expect.anything());
    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('The tickets could not be loaded.');
    await (await button('Try again', '[role="alert"]')).click();

    await flushList(expectList(), pageOf([aTicketSummary()]));
    expect((await rows()).length).toBe(1);
  });
});
