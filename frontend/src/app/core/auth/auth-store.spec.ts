import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { aLoginResponse, aUser, storeSession } from '../../../testing/auth-fixtures';
import { AuthStore, SESSION_STORAGE_KEY } from './auth-store';

describe('AuthStore', () => {
  let backend: HttpTestingController;

  function createStore(): AuthStore {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    return TestBed.inject(AuthStore);
  }

  function stored(): {
    accessToken: string;
    expiresAt: number;
    user: { email: string };
  } | null {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    return raw ? JSON.parse(raw) : null;
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('starts signed out when nothing is stored', () => {
    const store = createStore();

    expect(store.isAuthenticated()).toBe(false);
    expect(store.token()).toBeNull();
    expect(store.user()).toBeNull();
    expect(store.role()).toBeNull();
    expect(store.hasRole('admin', 'editor', 'viewer')).toBe(false);
  });

  it('signs in: keeps the token, its expiry and the user, and persists them', async () => {
    const store = createStore();
    const before = Date.now();

    const signedIn = firstValueFrom(store.login({ email: 'pat@example.com', password: 'secret' }));
    const request = backend.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      email: 'pat@example.com',
      password: 'secret',
    });
    request.flush(aLoginResponse({ accessToken: 'new.jwt', expiresIn: 900 }));

    expect(await signedIn).toEqual(aUser());
    expect(store.isAuthenticated()).toBe(true);
    expect(store.token()).toBe('new.jwt');
    expect(store.role()).toBe('editor');
    expect(store.hasRole('admin')).toBe(false);
    expect(store.hasRole('admin', 'editor')).toBe(true);
    expect(store.expiresAt()).toBeGreaterThanOrEqual(before + 900_000);
    expect(store.expiresAt()).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(stored()).toEqual({
      accessToken: 'new.jwt',
      expiresAt: store.expiresAt(),
      user: aUser(),
    });
  });

  it('stays signed out when the login fails', async () => {
    const store = createStore();

    const attempt = firstValueFrom(store.login({ email: 'pat@example.com', password: 'wrong' }));
    backend
      .expectOne('/api/auth/login')
      .flush({ statusCode: 401, message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });

    await expect(attempt).rejects.toMatchObject({ status: 401 });
    expect(store.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
  });

  it('restores a stored session after a reload', () => {
    storeSession(aUser({ role: 'admin' }), { token: 'kept.jwt' });
    const store = createStore();

    expect(store.isAuthenticated()).toBe(true);
    expect(store.token()).toBe('kept.jwt');
    expect(store.hasRole('admin')).toBe(true);
  });

  it('drops a stored session whose token has expired', () => {
    storeSession(aUser(), { expiresInMs: -1000 });
    const store = createStore();

    expect(store.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
  });

  it('drops stored data it cannot read', () => {
    localStorage.setItem(SESSION_STORAGE_KEY, '{not json');
    const store = createStore();

    expect(store.isAuthenticated()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('ends the session when checked after the token expired', () => {
    storeSession(aUser(), { expiresInMs: 60_000 });
    const store = createStore();

    expect(store.checkSession()).toBe(true);
    expect(store.checkSession(Date.now() + 61_000)).toBe(false);
    expect(store.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
  });

  it('refreshes the user from GET /api/auth/me', async () => {
    storeSession(aUser({ name: 'Old Name', role: 'viewer' }));
    const store = createStore();

    const refreshed = firstValueFrom(store.refreshUser());
    backend.expectOne('/api/auth/me').flush(aUser({ name: 'New Name', role: 'editor' }));
    await refreshed;

    expect(store.user()?.name).toBe('New Name');
    expect(store.role()).toBe('editor');
    expect(stored()?.user.email).toBe('pat@example.com');
  });

  it('clears the session and its storage', () => {
    storeSession();
    const store = createStore();

    store.clear();

    expect(store.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
  });

  it('logs out: asks the API to revoke the token and ends the session at once, whatever it answers', () => {
    storeSession(aUser(), { token: 'revoke.me' });
    const store = createStore();

    store.logout();

    expect(store.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
    const request = backend.expectOne('/api/auth/logout');
    expect(request.request.method).toBe('POST');
    request.flush(
      { statusCode: 401, message: 'Invalid or expired token' },
      { status: 401, statusText: 'Unauthorized' },
    );
    expect(store.isAuthenticated()).toBe(false);
  });

  it('does not call the API to log out without a session', () => {
    const store = createStore();

    store.logout();

    backend.expectNone('/api/auth/logout');
    expect(store.isAuthenticated()).toBe(false);
  });

  it('follows sign-out in another tab', () => {
    storeSession();
    const store = createStore();

    localStorage.removeItem(SESSION_STORAGE_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));

    expect(store.isAuthenticated()).toBe(false);
  });
  it('signs an SSO session out by its token and by its cookie (the token may have expired)', async () => {
    const store = createStore();
    const done = firstValueFrom(store.completeSso());
    backend.expectOne('/api/auth/refresh').flush(aLoginResponse({ accessToken: 'sso.jwt', expiresIn: 300 }));
    await done;
    expect(store.isSso()).toBe(true);
    expect(stored()).toMatchObject({ accessToken: 'sso.jwt', sso: true });

    store.logout();

    expect(backend.expectOne('/api/auth/logout').request.method).toBe('POST');
    expect(backend.expectOne('/api/auth/oidc/logout').request.method).toBe('POST');
    expect(store.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
  });
});
