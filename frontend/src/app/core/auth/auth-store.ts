import { HttpContext } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { AuthProvidersResponse, AuthService, LoginRequest, LoginResponse, Role, UserResponse } from '@pim/api-client';
import { finalize, map, Observable, shareReplay, tap } from 'rxjs';

/** What survives a reload: the token, when it expires, and who it belongs to (for the first paint). */
interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: UserResponse;
  /**
   * A single sign-on session: its short token is renewed through `POST /api/auth/refresh` (which refreshes at the
   * identity provider, with the httpOnly SSO cookie) instead of ending the session when it expires.
   */
  sso?: boolean;
}

export const SESSION_STORAGE_KEY = 'pim.session';

/**
 * The signed-in session. The token and its expiry are kept in localStorage so a reload keeps the
 * user signed in until the token expires; the server remains the judge of every request (a 401
 * ends the session through the auth interceptor).
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly authService = inject(AuthService);
  private readonly storage = inject(DOCUMENT).defaultView?.localStorage ?? null;
  private readonly session = signal<Session | null>(this.readStoredSession());

  readonly token = computed(() => this.session()?.accessToken ?? null);
  readonly expiresAt = computed(() => this.session()?.expiresAt ?? null);
  readonly user = computed(() => this.session()?.user ?? null);
  readonly role = computed<Role | null>(() => this.user()?.role ?? null);
  readonly isAuthenticated = computed(() => this.session() !== null);
  readonly isSso = computed(() => this.session()?.sso === true);
  private refreshing: Observable<string> | null = null;

  constructor() {
    // Signing in or out in another tab applies here too.
    const view = inject(DOCUMENT).defaultView;
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_STORAGE_KEY || event.key === null) {
        this.session.set(this.readStoredSession());
      }
    };
    view?.addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => view?.removeEventListener('storage', onStorage));
  }

  /** True when the user has one of `roles`. Reads a signal, so it is reactive in templates. */
  hasRole(...roles: Role[]): boolean {
    const role = this.role();
    return role !== null && roles.includes(role);
  }

  /**
   * Ends the session if its token has expired; true while a valid session remains. An SSO session outlives its
   * token: the next API call renews it (or ends the session when the provider refuses).
   */
  checkSession(now = Date.now()): boolean {
    const session = this.session();
    if (session && session.expiresAt <= now && !session.sso) {
      this.clear();
      return false;
    }
    return session !== null;
  }

  login(credentials: LoginRequest, context?: HttpContext): Observable<UserResponse> {
    return this.authService.login({ body: credentials }, context).pipe(
      tap((response) => this.start(response)),
      map((response) => response.user),
    );
  }

  /** The sign-in methods the API offers (password, single sign-on). */
  providers(context?: HttpContext): Observable<AuthProvidersResponse> {
    return this.authService.providers(undefined, context);
  }

  /**
   * Finishes a single sign-on: the API's callback left an httpOnly SSO cookie; this exchanges it for the
   * console's bearer token (`POST /api/auth/refresh`).
   */
  completeSso(context?: HttpContext): Observable<UserResponse> {
    return this.authService.refresh(undefined, context).pipe(
      tap((response) => this.start(response, true)),
      map((response) => response.user),
    );
  }

  /**
   * Renews an SSO session's token at the API (which refreshes at the identity provider); concurrent callers share
   * one request. Emits the new token; errors when the session has ended there.
   */
  renewSso(): Observable<string> {
    this.refreshing ??= this.authService.refresh().pipe(
      tap((response) => this.start(response, true)),
      map((response) => response.accessToken),
      finalize(() => (this.refreshing = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.refreshing;
  }

  /** Reloads the current user (`GET /api/auth/me`), so a changed name or role shows without signing in again. */
  refreshUser(): Observable<UserResponse> {
    return this.authService.me().pipe(tap((user) => this.updateUser(user)));
  }

  /**
   * Signs out: asks the API to revoke the token (`POST /api/auth/logout`, sent with the token before it is
   * forgotten here; an SSO session also by its cookie, `POST /api/auth/oidc/logout`) and ends the local session at
   * once, whatever the API answers.
   */
  logout(): void {
    if (this.token()) {
      this.authService.logout().subscribe({ error: () => undefined });
    }
    if (this.isSso()) {
      // Ends the SSO session by its cookie too: the token above may have expired already.
      this.authService.oidcLogout().subscribe({ error: () => undefined });
    }
    this.clear();
  }

  clear(): void {
    this.session.set(null);
    this.write(null);
  }

  private start(response: LoginResponse, sso = false): void {
    this.set({
      accessToken: response.accessToken,
      expiresAt: Date.now() + response.expiresIn * 1000,
      user: response.user,
      ...(sso ? { sso: true } : {}),
    });
  }

  private updateUser(user: UserResponse): void {
    const session = this.session();
    if (session) {
      this.set({ ...session, user });
    }
  }

  private set(session: Session): void {
    this.session.set(session);
    this.write(session);
  }

  private write(session: Session | null): void {
    try {
      if (session) {
        this.storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
      } else {
        this.storage?.removeItem(SESSION_STORAGE_KEY);
      }
    } catch {
      // Storage can be full or disabled; the session then lasts as long as the page.
    }
  }

  private readStoredSession(): Session | null {
    let raw: string | null = null;
    try {
      raw = this.storage?.getItem(SESSION_STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
    const session = parseSession(raw);
    if (raw !== null && (session === null || (session.expiresAt <= Date.now() && !session.sso))) {
      this.write(null);
      return null;
    }
    return session;
  }
}

function parseSession(raw: string | null): Session | null {
  if (!raw) {
    return null;
  }
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      'accessToken' in value &&
      typeof value.accessToken === 'string' &&
      'expiresAt' in value &&
      typeof value.expiresAt === 'number' &&
      'user' in value &&
      typeof value.user === 'object' &&
      value.user !== null &&
      'role' in value.user
    ) {
      return value as Session;
    }
  } catch {
    // Not JSON: treat as signed out.
  }
  return null;
}
