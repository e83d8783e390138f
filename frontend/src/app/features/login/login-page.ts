import { HttpContext, HttpErrorResponse } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ActivatedRoute, Router } from '@angular/router';
import { ApiConfiguration, AuthProvidersResponse, AuthService } from '@pim/api-client';
import { finalize } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { PRODUCT_NAME } from '../../core/shell/page-title-strategy';

/** Where to go after single sign-on, kept for the trip through the identity provider. */
export const SSO_RETURN_KEY = 'pim.sso.returnUrl';

@Component({
  selector: 'pim-login-page',
  imports: [
    ReactiveFormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatButton,
    MatProgressBar,
  ],
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);
  /** Where the API starts single sign-on (a full-page navigation to the identity provider). */
  private readonly ssoLoginUrl = `${inject(ApiConfiguration).rootUrl}${AuthService.OidcLoginPath}`;
  private readonly quiet = () => new HttpContext().set(SKIP_ERROR_SNACKBAR, true);

  protected readonly productName = PRODUCT_NAME;
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The sign-in methods the API offers; null until known (the password form shows meanwhile). */
  protected readonly providers = signal<AuthProvidersResponse | null>(null);
  /** SSO-only mode hides the password form behind a small "administrator sign-in" link (break-glass). */
  protected readonly adminSignIn = signal(false);
  protected readonly passwordOff = computed(() => this.providers()?.password === false && !this.adminSignIn());

  constructor() {
    this.auth
      .providers(this.quiet())
      .pipe(takeUntilDestroyed())
      .subscribe({ next: (providers) => this.providers.set(providers), error: () => undefined });
    const params = this.route.snapshot.queryParamMap;
    const ssoError = params.get('ssoError');
    if (ssoError) {
      this.error.set(`Single sign-on failed: ${ssoError}`);
    } else if (params.get('sso') === '1') {
      this.completeSso();
    }
  }

  protected submit(): void {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const credentials = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    this.form.disable();
    this.auth
      // This page shows its own errors, so the global snackbar stays quiet.
      .login(credentials, this.quiet())
      .pipe(
        finalize(() => {
          this.pending.set(false);
          this.form.enable();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => void this.router.navigateByUrl(this.returnUrl()),
        error: (error: unknown) => this.error.set(loginErrorMessage(error)),
      });
  }

  /** Leaves for the identity provider; the API brings the browser back to `/login?sso=1`. */
  protected signInWithSso(): void {
    try {
      this.document.defaultView?.sessionStorage.setItem(SSO_RETURN_KEY, this.returnUrl());
    } catch {
      // Without storage the user lands on the dashboard.
    }
    this.pending.set(true);
    this.document.location.assign(this.ssoLoginUrl);
  }

  protected showAdminSignIn(): void {
    this.adminSignIn.set(true);
  }

  /** Back from the identity provider: exchanges the SSO cookie for the console's token. */
  private completeSso(): void {
    this.pending.set(true);
    this.auth
      .completeSso(this.quiet())
      .pipe(
        finalize(() => this.pending.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => void this.router.navigateByUrl(this.ssoReturnUrl()),
        error: (error: unknown) => this.error.set(`Single sign-on failed: ${apiErrorMessage(error)}`),
      });
  }

  private ssoReturnUrl(): string {
    let url: string | null = null;
    try {
      url = this.document.defaultView?.sessionStorage.getItem(SSO_RETURN_KEY) ?? null;
      this.document.defaultView?.sessionStorage.removeItem(SSO_RETURN_KEY);
    } catch {
      // No storage: the dashboard.
    }
    return localPath(url);
  }

  /** Where to go after signing in: the `returnUrl` query parameter when it is a path in this app. */
  private returnUrl(): string {
    return localPath(this.route.snapshot.queryParamMap.get('returnUrl'));
  }
}

function localPath(url: string | null): string {
  const isLocalPath = !!url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\');
  return isLocalPath && !url.startsWith('/login') ? url : '/';
}

function loginErrorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 401) {
      return 'Invalid email or password';
    }
    if (error.status === 429) {
      return 'Too many attempts, try again later';
    }
  }
  return apiErrorMessage(error);
}
