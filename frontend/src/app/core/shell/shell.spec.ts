import { BreakpointObserver, BreakpointState } from '@angular/cdk/layout';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatMenuHarness } from '@angular/material/menu/testing';
import { MatSidenavHarness } from '@angular/material/sidenav/testing';
import { provideRouter, Router } from '@angular/router';
import { BehaviorSubject, map } from 'rxjs';
import { Role } from '@pim/api-client';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { settle } from '../../../testing/settle';
import { authInterceptor } from '../auth/auth-interceptor';
import { AuthStore } from '../auth/auth-store';
import { Shell } from './shell';

@Component({ template: '' })
class Blank {}

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let backend: HttpTestingController;
  let wide: BehaviorSubject<boolean>;

  async function render(role: Role, options: { wide?: boolean } = {}): Promise<HTMLElement> {
    storeSession(aUser({ role }));
    wide = new BehaviorSubject(options.wide ?? true);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: Blank },
          { path: 'profile', component: Blank },
          { path: '**', component: Blank },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        {
          provide: BreakpointObserver,
          useValue: {
            observe: () =>
              wide.pipe(
                map((matches): BreakpointState => ({
                  matches,
                  breakpoints: {},
                })),
              ),
            isMatched: () => wide.value,
          },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Shell);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  function navLabels(element: HTMLElement): string[] {
    return Array.from(element.querySelectorAll('[role="navigation"][aria-label="Main"] a')).map(
      (link) => link.textContent?.trim() ?? '',
    );
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => {
    // The Alerts badge asks for its count on every render; its own test below answers it.
    backend.match('/api/alerts/summary');
    backend.verify();
  });

  it('shows the count of the last 7 days’ alerts as a badge on Alerts', async () => {
    const element = await render('viewer');
    backend.expectOne('/api/auth/me').flush(aUser({ role: 'viewer' }));
    backend.expectOne('/api/alerts/summary').flush({ last7d: 3 });
    await fixture.whenStable();

    const badge = element.querySelector('a[href="/alerts"] [data-testid="alerts-badge"]');
    expect(badge?.textContent?.trim()).toBe('3');
    expect(badge?.getAttribute('aria-label')).toBe('3 alerts in the last 7 days');
  });

  it('shows the product name and the main navigation without Users for non-admins', async () => {
    const element = await render('editor');
    backend.expectOne('/api/auth/me').flush(aUser({ role: 'editor' }));

    expect(element.querySelector('mat-toolbar')?.textContent).toContain('Product Issue Miner');
    expect(navLabels(element)).toEqual(['Dashboard', 'Clusters', 'Issues', 'Tickets', 'Alerts', 'Runs', 'Settings']);
    const hrefs = Array.from(element.querySelectorAll('[role="navigation"] a')).map((link) =>
      link.getAttribute('href'),
    );
    expect(hrefs).toEqual(['/dashboard', '/clusters', '/issues', '/tickets', '/alerts', '/runs', '/settings']);
  });

  it('shows Users to admins', async () => {
    const element = await render('admin');
    backend.expectOne('/api/auth/me').flush(aUser({ role: 'admin' }));
    await settle(fixture);

    expect(navLabels(element)).toContain('Users');
  });

  it('hides Users when a refresh reveals the admin role was taken away', async () => {
    const element = await render('admin');
    backend.expectOne('/api/auth/me').flush(aUser({ role: 'viewer' }));
    await settle(fixture);

    expect(navLabels(element)).not.toContain('Users');
  });

  it('marks the current page in the navigation', async () => {
    const element = await render('viewer');
    backend.expectOne('/api/auth/me').flush(aUser({ role: 'viewer' }));
    await TestBed.inject(Router).navigateByUrl('/clusters');
    await fixture.whenStable();

    const current = element.querySelector('[role="navigation"] a[aria-current="page"]');
    expect(current?.textContent?.trim()).toBe('Clusters');
  });

  it('keeps the navigation open beside the page on wide screens', async () => {
    await render('viewer', { wide: true });
    backend.expectOne('/api/auth/me').flush(aUser());
    const sidenav = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatSidenavHarness);

    expect(await sidenav.getMode()).toBe('side');
    expect(await sidenav.isOpen()).toBe(true);
  });

  it('on narrow screens hides the navigation behind the menu button', async () => {
    const element = await render('viewer', { wide: false });
    backend.expectOne('/api/auth/me').flush(aUser());
    const sidenav = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatSidenavHarness);
    const menuButton = element.querySelector<HTMLButtonElement>('button[aria-controls="pim-nav"]');

    expect(await sidenav.getMode()).toBe('over');
    expect(await sidenav.isOpen()).toBe(false);
    expect(menuButton?.getAttribute('aria-label')).toBe('Show navigation');
    expect(menuButton?.getAttribute('aria-expanded')).toBe('false');

    menuButton?.click();
    await fixture.whenStable();

    expect(await sidenav.isOpen()).toBe(true);
    expect(menuButton?.getAttribute('aria-label')).toBe('Hide navigation');
    expect(menuButton?.getAttribute('aria-expanded')).toBe('true');
  });

  it('switches between light and dark from the toolbar', async () => {
    const element = await render('viewer');
    backend.expectOne('/api/auth/me').flush(aUser());
    const toggle = element.querySelector<HTMLButtonElement>('[data-testid="theme-toggle"]');
    const before = document.documentElement.style.colorScheme;

    toggle?.click();
    await fixture.whenStable();

    const after = document.documentElement.style.colorScheme;
    expect(after).not.toBe(before);
    expect(toggle?.getAttribute('aria-label')).toBe(
      after === 'dark' ? 'Switch to light theme' : 'Switch to dark theme',
    );
  });

  it('labels every icon button', async () => {
    const element = await render('viewer');
    backend.expectOne('/api/auth/me').flush(aUser());

    const buttons = Array.from(element.querySelectorAll('mat-toolbar button'));
    expect(buttons.length).toBeGreaterThanOrEqual(3);
    for (const button of buttons) {
      expect(button.getAttribute('aria-label') || button.textContent?.trim()).toBeTruthy();
    }
  });

  it('shows who is signed in in the user menu and signs out', async () => {
    await render('editor');
    backend.expectOne('/api/auth/me').flush(aUser({ name: 'Pat Product', role: 'editor' }));
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate');
    const menu = await TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatMenuHarness.with({ selector: '[data-testid="user-menu"]' }),
    );

    await menu.open();
    const overlay = document.querySelector('.cdk-overlay-container') as HTMLElement;
    expect(overlay.textContent).toContain('Pat Product');
    expect(overlay.textContent).toContain('pat@example.com');
    expect(overlay.textContent).toContain('Role: editor');
    expect((await menu.getItems()).length).toBe(2);

    await menu.clickItem({ text: /Sign out/ });

    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login']);
    // The API revoked the token: the request carried it although the local session ended at once.
    const logout = backend.expectOne('/api/auth/logout');
    expect(logout.request.method).toBe('POST');
    expect(logout.request.headers.get('Authorization')).toMatch(/^Bearer \S+/);
    logout.flush(null, { status: 204, statusText: 'No Content' });
  });
});
