import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCardHarness } from '@angular/material/card/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AccountSettingsResponse, Role } from '@pim/api-client';
import { pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { ACCOUNTS_ROUTES } from './accounts.routes';

@Component({ template: '' })
class Blank {}

const SETTINGS: AccountSettingsResponse = {
  mapping: {
    arr: 'annual_revenue',
    plan: 'plan',
    mrr: null,
    seats: 'seats',
    segment: 'segment',
    renewalDate: 'renewal_date',
    owner: 'account_owner',
  },
  feedConfigured: true,
  feedHost: 'crm.acme.test',
  feedCron: '30 3 * * *',
};
const ACCOUNT = {
  organizationId: 360001,
  organizationName: 'Globex',
  plan: 'enterprise',
  arr: 200000,
  mrr: null,
  seats: 40,
  segment: 'Enterprise',
  renewalDate: '2027-04-01',
  owner: null,
  source: 'zendesk',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('AccountsPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(role: Role): Promise<void> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'accounts', children: ACCOUNTS_ROUTES },
          { path: '**', component: Blank },
        ]),
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/accounts');
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
  }

  const input = (testId: string) => loader.getHarness(MatInputHarness.with({ selector: byTestId(testId) }));

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('lets an admin map the organization fields and set the feed URL', async () => {
    await render('admin');
    backend.expectOne('/api/settings/accounts').flush(SETTINGS);
    backend.expectOne((r) => r.url === '/api/accounts').flush(pageOf([ACCOUNT]));
    await harness.fixture.whenStable();
    expect(await (await input('field-arr')).getValue()).toBe('annual_revenue');
    const mapping = await loader.getHarness(MatCardHarness.with({ selector: byTestId('account-mapping') }));
    expect(await mapping.getText()).toContain('Polled from crm.acme.test (30 3 * * *)');

    await (await input('field-mrr')).setValue('monthly_revenue');
    await (await input('field-owner')).setValue('');
    await (await input('feed-url')).setValue('https://crm.acme.test/accounts.csv?token=x');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Save' }))).click();
    const put = backend.expectOne({ method: 'PUT', url: '/api/settings/accounts' });
    expect(put.request.body).toEqual({
      mapping: { ...SETTINGS.mapping, mrr: 'monthly_revenue', owner: null },
      feedUrl: 'https://crm.acme.test/accounts.csv?token=x',
    });
    put.flush(SETTINGS);
    backend.expectOne((r) => r.url === '/api/accounts').flush(pageOf([ACCOUNT]));
    expect(snackBar.open).toHaveBeenCalledWith('Account settings saved', undefined, { duration: 3000 });
  });

  it('shows a viewer the accounts only, highest ARR first as the API orders them', async () => {
    await render('viewer');
    backend.expectOne((r) => r.url === '/api/accounts').flush(pageOf([ACCOUNT]));
    await harness.fixture.whenStable();
    expect(await loader.getAllHarnesses(MatCardHarness.with({ selector: byTestId('account-mapping') }))).toEqual([]);
    expect(await loader.getAllHarnesses(MatButtonHarness.with({ text: 'Upload CSV' }))).toEqual([]);
    const row = (harness.fixture.nativeElement as HTMLElement).querySelector('[data-testid="accounts"] tbody tr');
    expect(row?.textContent).toContain('Globex');
    expect(row?.textContent).toContain('$200,000');
    expect(row?.textContent).toContain('Apr 1, 2027');
  });

  it('lets an editor upload a CSV feed and reports the unmatched rows', async () => {
    await render('editor');
    backend.expectOne((r) => r.url === '/api/accounts').flush(pageOf([]));
    await harness.fixture.whenStable();
    const file = (harness.fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('input[type=file]')!;
    Object.defineProperty(file, 'files', { value: [new File(['name,arr\nGlobex,5\n'], 'a.csv')] });
    file.dispatchEvent(new Event('change'));
    const post = backend.expectOne({ method: 'POST', url: '/api/accounts/import' });
    expect(post.request.body instanceof FormData).toBe(true);
    post.flush({
      rows: 2,
      matched: 1,
      changed: 1,
      unmatched: [{ line: 3, reason: 'no organization with this id, domain or name' }],
    });
    backend.expectOne((r) => r.url === '/api/accounts').flush(pageOf([ACCOUNT]));
    await harness.fixture.whenStable();
    const card = await loader.getHarness(MatCardHarness.with({ selector: byTestId('account-import') }));
    expect(await card.getText()).toContain('1 of 2 rows matched, 1 accounts changed.');
    expect(await card.getText()).toContain('Line 3: no organization with this id, domain or name');
  });
});
