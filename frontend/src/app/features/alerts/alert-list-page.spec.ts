import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatProgressBarHarness } from '@angular/material/progress-bar/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipHarness } from '@angular/material/tooltip/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AlertResponse } from '@pim/api-client';
import { pageOf } from '../../../testing/api-fixtures';
import { byTestId, choose, tableRows } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { pagingInterceptor } from '../../core/http/paging';
import { ALERTS_ROUTES } from './alerts.routes';

@Component({ template: '' })
class Blank {}

function anAlert(overrides: Partial<AlertResponse> = {}): AlertResponse {
  return {
    id: 'a1',
    kind: 'emerging',
    clusterId: 'c1a2b3c4-0000-4000-8000-000000000001',
    clusterName: 'Android 14 dashboard crash',
    createdAt: '2026-12-07T09:30:00.000Z',
    clearedAt: null,
    trigger: { issueCount: 12 },
    deliveries: [
      { channel: 'email', status: 'sent', attempts: 1, lastError: null },
      { channel: 'slack', status: 'sent', attempts: 1, lastError: null },
      { channel: 'webhook', status: 'sent', attempts: 1, lastError: null },
    ],
    ...overrides,
  };
}

describe('AlertListPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(url: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'alerts', children: ALERTS_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([pagingInterceptor, httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return harness.routeNativeElement as HTMLElement;
  }

  const expectList = (): TestRequest => backend.expectOne((req) => req.url === '/api/alerts');
  async function flush(request: TestRequest, body: unknown): Promise<void> {
    request.flush(body);
    await harness.fixture.whenStable();
  }
  const loading = () => loader.hasHarness(MatProgressBarHarness.with({ selector: '[aria-label="Loading alerts"]' }));

  beforeEach(() => snackBar.open.mockReset());
  afterEach(() => backend.verify());

  it('lists alerts with their kind, cluster link, time, state and delivery status', async () => {
    const element = await render('/alerts?page=2&perPage=25');
    const request = expectList();
    expect(request.request.params.get('page')).toBe('2');
    expect(request.request.params.get('perPage')).toBe('25');
    expect(request.request.params.has('kind')).toBe(false);
    expect(await loading()).toBe(true);

    await flush(
      request,
      pageOf(
        [
          anAlert(),
          anAlert({
            id: 'a2',
            kind: 'regression',
            clusterId: 'c2',
            clusterName: 'CSV export times out',
            clearedAt: '2026-12-07T11:00:00.000Z',
            deliveries: [
              { channel: 'email', status: 'sent', attempts: 1, lastError: null },
              { channel: 'slack', status: 'failed', attempts: 3, lastError: 'HTTP 503: rollup_error' },
            ],
          }),
        ],
        { total: 27, page: 2, perPage: 25 },
      ),
    );

    expect(await loading()).toBe(false);
    const rows = await tableRows(loader);
    expect(rows.map((cells) => [cells[0], cells[1], cells[3], cells[4]])).toEqual([
      ['Emerging', 'Android 14 dashboard crash', 'open', 'E-mail: sent Slack: sent Webhook: sent'],
      ['Regression', 'CSV export times out', 'cleared', 'E-mail: sent Slack: failed (3 tries)'],
    ]);
    expect(rows[0][2]).toMatch(/2026/);
    expect(element.querySelector('tr[data-alert="a2"] a')?.getAttribute('href')).toBe('/clusters/c2');
    expect(element.querySelector('tr[data-alert="a2"] .delivery[data-status="failed"]')).not.toBeNull();
    const tooltip = await loader.getHarness(MatTooltipHarness.with({ selector: '.delivery[data-status="failed"]' }));
    await tooltip.show();
    expect(await tooltip.getTooltipText()).toBe('HTTP 503: rollup_error');
    expect(await (await loader.getHarness(MatPaginatorHarness)).getRangeLabel()).toContain('26 – 27 of 27');
  });

  it('filters by kind through the URL', async () => {
    await render('/alerts?kind=spike');
    const first = expectList();
    expect(first.request.params.get('kind')).toBe('spike');
    await flush(first, pageOf([anAlert({ kind: 'spike' })]));
    const select = await loader.getHarness(MatSelectHarness.with({ selector: byTestId('alert-kind') }));
    expect(await select.getValueText()).toBe('Spike');
    await select.close();

    await choose(loader, 'alert-kind', ['Critical']);
    const second = expectList();
    expect(second.request.params.get('kind')).toBe('spike,critical');
    expect(TestBed.inject(Router).url).toBe('/alerts?kind=spike,critical');
    await flush(second, pageOf([]));
  });

  it('says so when there are no alerts, and offers a retry when the list fails', async () => {
    const element = await render('/alerts');
    await flush(expectList(), pageOf([]));
    expect(element.querySelector(byTestId('alerts-empty'))?.textContent).toContain('No alerts yet');

    await harness.navigateByUrl('/alerts?kind=regression');
    expectList().flush({ message: 'down' }, { status: 503, statusText: 'Service Unavailable' });
    await harness.fixture.whenStable();
    expect(element.textContent).toContain('The alerts could not be loaded.');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Try again' }))).click();
    await flush(expectList(), pageOf([anAlert()]));
    expect(await tableRows(loader)).toHaveLength(1);
  });
});
