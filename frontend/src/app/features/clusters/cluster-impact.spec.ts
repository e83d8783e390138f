import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatCardHarness } from '@angular/material/card/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aCluster, aClusterDetail, aTaxonomy, pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, choose, tableRows } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { CLUSTERS_ROUTES } from './clusters.routes';

@Component({ template: '' })
class Blank {}

const ID = 'c1a2b3c4-0000-4000-8000-000000000001';

/** Impact in the console (issue 18): the list ranked by impact, the cluster page's impact card. */
describe('Cluster impact', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;

  async function render(url: string): Promise<HTMLElement> {
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
        { provide: MatSnackBar, useValue: { open: jest.fn() } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return harness.routeNativeElement as HTMLElement;
  }

  const expectList = (): TestRequest => backend.expectOne((req) => req.url === '/api/clusters');
  const currentQuery = (): Record<string, string> =>
    TestBed.inject(Router).parseUrl(TestBed.inject(Router).url).queryParams as Record<string, string>;

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('ranks by impact from the "Rank by" select and shows the impact and ARR columns', async () => {
    await render('/clusters');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    expectList().flush(pageOf([aCluster()]));
    await harness.fixture.whenStable();
    expect((await tableRows(loader))[0]).toHaveLength(7);

    await choose(loader, 'cluster-rank', ['Impact']);
    expect(currentQuery()['sort']).toBe('impactScore:desc');
    const request = expectList();
    expect(request.request.params.get('sort')).toBe('impactScore:desc');
    request.flush(pageOf([aCluster({ impactScore: 61.2, arrAffected: 1250000 })]));
    await harness.fixture.whenStable();
    const [row] = await tableRows(loader);
    expect(row).toContain('61.2');
    expect(row).toContain('$1,250,000');
  });

  it('filters by account segment and plan (comma lists in the URL)', async () => {
    await render('/clusters');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    expectList().flush(pageOf([]));
    await harness.fixture.whenStable();
    const segment = await loader.getHarness(MatInputHarness.with({ selector: byTestId('cluster-segment') }));
    await segment.setValue('Enterprise, mid-market');
    await (await segment.host()).dispatchEvent('change');
    expect(currentQuery()['segment']).toBe('Enterprise,mid-market');
    const request = expectList();
    expect(request.request.params.getAll('segment')).toEqual(['Enterprise', 'mid-market']);
    request.flush(pageOf([]));
  });

  it('shows the impact card: score, ARR, why this rank, and the affected accounts with their tickets', async () => {
    await render(`/clusters/${ID}`);
    backend.expectOne(`/api/clusters/${ID}`).flush(aClusterDetail());
    await harness.fixture.whenStable();
    const card = await loader.getHarness(MatCardHarness.with({ selector: byTestId('cluster-impact') }));
    const text = await card.getText();
    expect(text).toContain('Impact 48.5');
    expect(text).toContain('$250,000');
    expect(text).toContain('Why this rank: Impact 48.5 = value (√ share of ARR affected) 0.5 × 40 = 20');
    const root = harness.fixture.nativeElement as HTMLElement;
    const account = root.querySelector('[data-testid="cluster-accounts"] tr[data-account="360001"]');
    expect(account?.textContent).toContain('Globex');
    expect(account?.textContent).toContain('$200,000');
    expect(account?.textContent).toContain('(was $150,000)');
    expect([...(account?.querySelectorAll('a') ?? [])].map((a) => a.getAttribute('href'))).toEqual([
      '/tickets/1042',
      '/tickets/1041',
    ]);
  });
});
