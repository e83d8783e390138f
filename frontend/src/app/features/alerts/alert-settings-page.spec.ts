import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AlertSettingsResponse, Role } from '@pim/api-client';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, paste } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { ALERTS_ROUTES } from './alerts.routes';

@Component({ template: '' })
class Blank {}

function settings(overrides: Partial<AlertSettingsResponse['channels']['slack']> = {}): AlertSettingsResponse {
  return {
    rules: {
      emerging: { enabled: true, minIssues: 5 },
      spike: { enabled: true, zThreshold: 4, minCount: 3 },
      critical: { enabled: true },
      regression: { enabled: false },
    },
    channels: {
      slack: { enabled: true, configured: false, source: 'none', ...overrides },
      webhook: { enabled: true, configured: true, secretConfigured: true, source: 'env' },
      email: { enabled: true, configured: true, from: 'alerts@acme.test', to: ['pm@acme.test'], source: 'env' },
    },
    ratePerHour: 30,
    consoleUrl: 'https://console.acme.test',
  };
}

describe('AlertSettingsPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(role: Role): Promise<HTMLElement> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'alerts', children: ALERTS_ROUTES },
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
    await harness.navigateByUrl('/alerts/settings');
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return harness.routeNativeElement as HTMLElement;
  }

  const input = (testId: string) => loader.getHarness(MatInputHarness.with({ selector: byTestId(testId) }));
  const toggle = (testId: string) => loader.getHarness(MatSlideToggleHarness.with({ selector: byTestId(testId) }));

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('sets a Slack channel: the URL is sent once and never shown again', async () => {
    const element = await render('admin');
    backend.expectOne('/api/settings/alerts').flush(settings());
    await harness.fixture.whenStable();

    expect(await (await toggle('rule-emerging')).isChecked()).toBe(true);
    expect(await (await toggle('rule-regression')).isChecked()).toBe(false);
    expect(await (await input('min-issues')).getValue()).toBe('5');
    expect(element.querySelector(byTestId('slack-status'))?.textContent?.trim()).toBe('Not configured');
    expect(element.querySelector(byTestId('webhook-status'))?.textContent).toContain('signed (X-PIM-Signature)');
    expect(await (await input('email-to')).getValue()).toBe('pm@acme.test');

    const url = 'https://hooks.slack.com/services/T000/B000/secret-part';
    await paste(await input('slack-url'), url);
    await (await toggle('rule-regression')).check();
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Save' }))).click();

    const put = backend.expectOne((req) => req.url === '/api/settings/alerts' && req.method === 'PUT');
    expect(put.request.body.channels.slack).toEqual({ enabled: true, webhookUrl: url });
    expect(put.request.body.channels.webhook).toEqual({ enabled: true });
    expect(put.request.body.rules.regression).toEqual({ enabled: true });
    expect(put.request.body.channels.email).toMatchObject({ from: 'alerts@acme.test', to: ['pm@acme.test'] });
    put.flush(settings({ configured: true, source: 'settings' }));
    await harness.fixture.whenStable();

    expect(snackBar.open).toHaveBeenCalledWith('Alert settings saved', undefined, { duration: 3000 });
    expect(element.querySelector(byTestId('slack-status'))?.textContent?.trim()).toBe('Configured here');
    expect(await (await input('slack-url')).getValue()).toBe('');
    expect(element.textContent).not.toContain('secret-part');

    await (await loader.getHarness(MatButtonHarness.with({ text: 'Remove the URL set here' }))).click();
    const removal = backend.expectOne((req) => req.method === 'PUT');
    expect(removal.request.body).toEqual({ channels: { slack: { webhookUrl: null } } });
    removal.flush(settings());
  });

  it('keeps non-admins out', async () => {
    await render('editor');
    expect(TestBed.inject(Router).url).toBe('/dashboard');
  });
});
