import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { provideRouter, Router, TitleStrategy } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { aUser, storeSession } from '../testing/auth-fixtures';
import { settle } from '../testing/settle';
import { App } from './app';
import { appRoutes } from './app.routes';
import { authInterceptor } from './core/auth/auth-interceptor';
import { PageTitleStrategy } from './core/shell/page-title-strategy';

describe('App routes', () => {
  let backend: HttpTestingController | undefined;

  async function visit(url: string, role?: Role): Promise<RouterTestingHarness> {
    if (role) {
      storeSession(aUser({ role }));
    }
    TestBed.configureTestingModule({
      providers: [
        provideRouter(appRoutes),
        { provide: TitleStrategy, useClass: PageTitleStrategy },
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    backend = http;
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    // The shell refreshes the signed-in user once.
    http.match('/api/auth/me').forEach((request) => request.flush(aUser({ role })));
    http.match('/api/auth/providers').forEach((request) => request.flush({ password: true, oidc: null }));
    await settle(harness.fixture);
    return harness;
  }

  const text = (harness: RouterTestingHarness) => harness.fixture.nativeElement.textContent as string;
  const url = () => TestBed.inject(Router).url;

  beforeEach(() => {
    localStorage.clear();
    backend = undefined;
  });
  afterEach(() => backend?.verify());

  it('the root component is only an outlet', async () => {
    const fixture = TestBed.configureTestingModule({
      providers: [provideRouter([])],
    }).createComponent(App);
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('router-outlet')).not.toBeNull();
  });

  it('sends a signed-out visitor to the login page', async () => {
    const harness = await visit('/');

    expect(url()).toBe('/login?returnUrl=%2Fdashboard');
    expect(text(harness)).toContain('Sign in');
    expect(TestBed.inject(Title).getTitle()).toBe('Sign in · Product Issue Miner');
  });

  it('opens the dashboard inside the shell for a signed-in user', async () => {
    const harness = await visit('/', 'viewer');

    expect(url()).toBe('/dashboard');
    expect(harness.fixture.nativeElement.querySelector('pim-shell')).not.toBeNull();
    expect(text(harness)).toContain('Issues by category');
    expect(TestBed.inject(Title).getTitle()).toBe('Dashboard · Product Issue Miner');
    // The dashboard's own spec answers these.
    backend?.match(() => true);
  });

  it.each([
    ['/clusters', 'Clusters'],
    ['/issues', 'Issues'],
    ['/tickets', 'Tickets'],
    ['/alerts', 'Alerts'],
    ['/runs', 'Runs'],
    ['/settings', 'Settings'],
    ['/profile', 'Profile'],
  ])('routes %s to its page', async (path, heading) => {
    const harness = await visit(path, 'editor');
    // The profile page loads the user itself.
    backend?.match('/api/auth/me').forEach((request) => request.flush(aUser()));
    await settle(harness.fixture);

    expect(url()).toBe(path);
    expect(harness.fixture.nativeElement.querySelector('main h1')?.textContent).toBe(heading);
    // What each page loads is asserted in its own spec.
    backend?.match(() => true);
  });

  it('keeps non-admins out of Users', async () => {
    await visit('/users', 'editor');
    expect(url()).toBe('/dashboard');
    backend?.match(() => true);
  });

  it('lets admins into Users', async () => {
    const harness = await visit('/users', 'admin');
    expect(url()).toBe('/users');
    expect(harness.fixture.nativeElement.querySelector('main h1')?.textContent).toBe('Users');
    backend?.match(() => true);
  });

  it('sends unknown addresses to the dashboard', async () => {
    await visit('/no/such/page', 'viewer');
    expect(url()).toBe('/dashboard');
    backend?.match(() => true);
  });
});
