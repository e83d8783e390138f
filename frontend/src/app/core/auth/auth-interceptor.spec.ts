import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { aLoginResponse, aUser, storeSession } from '../../../testing/auth-fixtures';
import { authInterceptor } from './auth-interceptor';
import { AuthStore, SESSION_STORAGE_KEY } from './auth-store';

@Component({ template: '' })
class Blank {}

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;

  function setUp(): void {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'clusters', component: Blank },
          { path: 'login', component: Blank },
        ]),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  describe('when signed in', () => {
    beforeEach(() => {
      storeSession(aUser(), { token: 'the.jwt' });
      setUp();
    });

    it('adds the bearer token to API requests', () => {
      http.get('/api/clusters').subscribe();
      http.get(`${location.origin}/api/issues`).subscribe();

      expect(backend.expectOne('/api/clusters').request.headers.get('Authorization')).toBe('Bearer the.jwt');
      expect(backend.expectOne(`${location.origin}/api/issues`).request.headers.get('Authorization')).toBe(
        'Bearer the.jwt',
      );
    });

    it('sends the token nowhere else: not to other origins, not outside /api, not to login', () => {
      http.get('https://evil.example.com/api/clusters').subscribe();
      http.get('/health').subscribe();
      http.get('/apiary').subscribe();
      http.post('/api/auth/login', {}).subscribe();

      for (const url of ['https://evil.example.com/api/clusters', '/health', '/apiary', '/api/auth/login']) {
        expect(backend.expectOne(url).request.headers.has('Authorization')).toBe(false);
      }
    });

    it('on a 401 ends the session and opens the login page with the way back', async () => {
      await router.navigateByUrl('/clusters?severity=high');
      const navigate = jest.spyOn(router, 'navigate');
      let failed = false;

      http.get('/api/clusters').subscribe({ error: () => (failed = true) });
      backend
        .expectOne('/api/clusters')
        .flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });

      expect(failed).toBe(true);
      expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
      expect(navigate).toHaveBeenCalledWith(['/login'], {
        queryParams: { returnUrl: '/clusters?severity=high' },
      });
    });

    it('leaves the session alone on other errors', () => {
      http.get('/api/users').subscribe({ error: () => undefined });
      backend
        .expectOne('/api/users')
        .flush({ statusCode: 403, message: 'Forbidden resource' }, { status: 403, statusText: 'Forbidden' });

      expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
    });
  });

  it('lets a failed login answer for itself (no redirect)', () => {
    setUp();
    const navigate = jest.spyOn(router, 'navigate');

    http.post('/api/auth/login', { email: 'a@b.c', password: 'x' }).subscribe({ error: () => undefined });
    backend
      .expectOne('/api/auth/login')
      .flush({ statusCode: 401, message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });

    expect(navigate).not.toHaveBeenCalled();
  });

  it('sends API requests without a header when signed out', () => {
    setUp();

    http.get('/api/auth/me').subscribe({ error: () => undefined });

    expect(backend.expectOne('/api/auth/me').request.headers.has('Authorization')).toBe(false);
  });
  describe('with a single sign-on session', () => {
    const storeSso = (expiresInMs = 60_000) =>
      localStorage.setItem(
        SESSION_STORAGE_KEY,
        JSON.stringify({ accessToken: 'old.jwt', expiresAt: Date.now() + expiresInMs, user: aUser(), sso: true }),
      );

    it('on a 401 renews the token once (POST /api/auth/refresh, no bearer) and sends the requests again', () => {
      storeSso();
      setUp();
      const answers: unknown[] = [];
      http.get('/api/clusters').subscribe((body) => answers.push(body));
      http.get('/api/issues').subscribe((body) => answers.push(body));
      backend.expectOne('/api/clusters').flush(null, { status: 401, statusText: 'Unauthorized' });
      backend.expectOne('/api/issues').flush(null, { status: 401, statusText: 'Unauthorized' });

      const refresh = backend.expectOne('/api/auth/refresh');
      expect(refresh.request.headers.has('Authorization')).toBe(false);
      refresh.flush(aLoginResponse({ accessToken: 'new.jwt', expiresIn: 300 }));

      for (const url of ['/api/clusters', '/api/issues']) {
        const retried = backend.expectOne(url);
        expect(retried.request.headers.get('Authorization')).toBe('Bearer new.jwt');
        retried.flush({ url });
      }
      expect(answers).toEqual([{ url: '/api/clusters' }, { url: '/api/issues' }]);
      expect(TestBed.inject(AuthStore).token()).toBe('new.jwt');
    });

    it('ends the session when the provider refused the renewal (the user was removed there)', async () => {
      storeSso();
      setUp();
      await router.navigateByUrl('/clusters');
      let failed = false;
      http.get('/api/clusters').subscribe({ error: () => (failed = true) });
      backend.expectOne('/api/clusters').flush(null, { status: 401, statusText: 'Unauthorized' });
      backend.expectOne('/api/auth/refresh').flush({ message: 'ended' }, { status: 401, statusText: 'Unauthorized' });

      expect(failed).toBe(true);
      expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    });

    it('keeps an SSO session whose token expired across a reload (the next call renews it)', () => {
      storeSso(-1_000);
      setUp();
      expect(TestBed.inject(AuthStore).checkSession()).toBe(true);
    });
  });
});
