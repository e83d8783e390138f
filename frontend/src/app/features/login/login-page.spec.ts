import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatErrorHarness, MatFormFieldHarness } from '@angular/material/form-field/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatProgressBarHarness } from '@angular/material/progress-bar/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import type { AuthProvidersResponse } from '@pim/api-client';
import { aLoginResponse, aUser } from '../../../testing/auth-fixtures';
import { settle } from '../../../testing/settle';
import { authInterceptor } from '../../core/auth/auth-interceptor';
import { AuthStore } from '../../core/auth/auth-store';
import { httpErrorInterceptor, SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { LoginPage } from './login-page';

@Component({ template: '' })
class Blank {}

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let backend: HttpTestingController;
  let router: Router;
  const snackBar = { open: jest.fn() };

  const PASSWORD_ONLY: AuthProvidersResponse = { password: true, oidc: null };

  /** Renders the page; it asks the API which sign-in methods are on, answered with `providers`. */
  async function render(
    returnUrl?: string,
    providers: AuthProvidersResponse = PASSWORD_ONLY,
    query: Record<string, string> = {},
  ): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: '**', component: Blank }]),
        provideHttpClient(withInterceptors([authInterceptor, httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        {
          provide: ActivatedRoute,
          useValue: {
            snapshot: {
              queryParamMap: convertToParamMap({ ...(returnUrl ? { returnUrl } : {}), ...query }),
            },
          },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    fixture = TestBed.createComponent(LoginPage);
    backend.expectOne('/api/auth/providers').flush(providers);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  async function fillAndSubmit(email = 'pat@example.com', password = 'correct horse'): Promise<void> {
    const loader = TestbedHarnessEnvironment.loader(fixture);
    await (await loader.getHarness(MatInputHarness.with({ selector: '[formControlName="email"]' }))).setValue(email);
    await (
      await loader.getHarness(MatInputHarness.with({ selector: '[formControlName="password"]' }))
    ).setValue(password);
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();
  }

  function rejectLogin(status: number, message: string): void {
    backend.expectOne('/api/auth/login').flush({ statusCode: status, message }, { status, statusText: 'Error' });
  }

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('has labelled email and password fields and a submit button', async () => {
    await render();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const autocomplete = async (type: string) =>
      (await (await loader.getHarness(MatInputHarness.with({ selector: `[type="${type}"]` }))).host()).getAttribute(
        'autocomplete',
      );

    const fields = await loader.getAllHarnesses(MatFormFieldHarness);
    expect(await Promise.all(fields.map((field) => field.getLabel()))).toEqual(['Email', 'Password']);
    expect(await autocomplete('email')).toBe('username');
    expect(await autocomplete('password')).toBe('current-password');
    expect(await (await loader.getHarness(MatButtonHarness.with({ selector: '[type="submit"]' }))).getText()).toBe(
      'Sign in',
    );
  });

  it('signs in and opens the page the user came from', async () => {
    await render('/clusters?severity=high');
    const navigate = jest.spyOn(router, 'navigateByUrl');

    await fillAndSubmit();
    const request = backend.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({
      email: 'pat@example.com',
      password: 'correct horse',
    });
    request.flush(aLoginResponse());
    await settle(fixture);

    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
    expect(navigate).toHaveBeenCalledWith('/clusters?severity=high');
  });

  it.each(['https://evil.example.com/', '//evil.example.com', '/login'])(
    'ignores a returnUrl of %s and opens the console home',
    async (returnUrl) => {
      await render(returnUrl);
      const navigate = jest.spyOn(router, 'navigateByUrl');

      await fillAndSubmit();
      backend.expectOne('/api/auth/login').flush(aLoginResponse());
      await settle(fixture);

      expect(navigate).toHaveBeenCalledWith('/');
    },
  );

  it('disables the button while signing in', async () => {
    await render();
    await fillAndSubmit();
    const button = await TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatButtonHarness.with({ selector: '[type="submit"]' }),
    );

    expect(await button.isDisabled()).toBe(true);
    expect(await button.getText()).toBe('Signing in…');
    expect(await TestbedHarnessEnvironment.loader(fixture).hasHarness(MatProgressBarHarness)).toBe(true);

    rejectLogin(401, 'Invalid email or password');
    await settle(fixture);
    expect(await button.isDisabled()).toBe(false);
  });

  it('shows "Invalid email or password" for a 401, without a snackbar', async () => {
    const element = await render();

    await fillAndSubmit();
    const request = backend.expectOne('/api/auth/login');
    expect(request.request.context.get(SKIP_ERROR_SNACKBAR)).toBe(true);
    request.flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await settle(fixture);

    const error = element.querySelector('[role="alert"]');
    expect(error?.textContent?.trim()).toBe('Invalid email or password');
    expect(snackBar.open).not.toHaveBeenCalled();
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
  });

  it('shows "Too many attempts, try again later" for a 429', async () => {
    const element = await render();

    await fillAndSubmit();
    rejectLogin(429, 'ThrottlerException: Too Many Requests');
    await settle(fixture);

    expect(element.querySelector('[role="alert"]')?.textContent?.trim()).toBe('Too many attempts, try again later');
  });

  it("shows the server's message for other failures", async () => {
    const element = await render();

    await fillAndSubmit();
    rejectLogin(400, 'email must be an email');
    await settle(fixture);

    expect(element.querySelector('[role="alert"]')?.textContent?.trim()).toBe('email must be an email');
  });

  it('does not send an incomplete form and says what is missing', async () => {
    await render();
    const loader = TestbedHarnessEnvironment.loader(fixture);

    await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();

    backend.expectNone('/api/auth/login');
    const errors = await Promise.all((await loader.getAllHarnesses(MatErrorHarness)).map((error) => error.getText()));
    expect(errors).toEqual(['Enter your email address', 'Enter your password']);
  });
  describe('single sign-on', () => {
    const WITH_SSO: AuthProvidersResponse = { password: true, oidc: { name: 'Okta' } };
    const SSO_ONLY: AuthProvidersResponse = { password: false, oidc: { name: 'Okta' } };

    it('offers "Sign in with <provider>" next to the password form when SSO is on', async () => {
      const element = await render(undefined, WITH_SSO);
      const loader = TestbedHarnessEnvironment.loader(fixture);
      expect(await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in with Okta' }))).isDisabled()).toBe(
        false,
      );
      expect(element.querySelector('input[type="password"]')).not.toBeNull();
    });

    it('hides the password form in SSO-only mode behind a small administrator sign-in link', async () => {
      const element = await render(undefined, SSO_ONLY);
      expect(element.querySelector('input[type="password"]')).toBeNull();
      const loader = TestbedHarnessEnvironment.loader(fixture);
      await (await loader.getHarness(MatButtonHarness.with({ text: 'Administrator sign-in' }))).click();
      await settle(fixture);
      expect(element.querySelector('input[type="password"]')).not.toBeNull();
      await fillAndSubmit('admin@example.com', 'break-glass');
      backend.expectOne('/api/auth/login').flush(aLoginResponse());
      await settle(fixture);
      expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
    });

    it('back from the provider (?sso=1): exchanges the SSO cookie for a token and opens the console', async () => {
      sessionStorage.setItem('pim.sso.returnUrl', '/clusters');
      await render(undefined, WITH_SSO, { sso: '1' });
      const navigate = jest.spyOn(router, 'navigateByUrl');
      const refresh = backend.expectOne('/api/auth/refresh');
      expect(refresh.request.method).toBe('POST');
      expect(refresh.request.headers.has('Authorization')).toBe(false);
      refresh.flush(aLoginResponse({ expiresIn: 300, user: aUser({ role: 'editor' }) }));
      await settle(fixture);
      const store = TestBed.inject(AuthStore);
      expect(store.isSso()).toBe(true);
      expect(store.role()).toBe('editor');
      expect(navigate).toHaveBeenCalledWith('/clusters');
    });

    it('shows why single sign-on was refused (?ssoError=)', async () => {
      const element = await render(undefined, WITH_SSO, { ssoError: 'The domain evil.test may not sign in here' });
      expect(element.querySelector('[role="alert"]')?.textContent?.trim()).toBe(
        'Single sign-on failed: The domain evil.test may not sign in here',
      );
      backend.expectNone('/api/auth/refresh');
    });
  });
});
