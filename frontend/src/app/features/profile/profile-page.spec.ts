import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { settle } from '../../../testing/settle';
import { AuthStore } from '../../core/auth/auth-store';
import { ProfilePage } from './profile-page';

describe('ProfilePage', () => {
  let fixture: ComponentFixture<ProfilePage>;
  let backend: HttpTestingController;

  async function render(): Promise<HTMLElement> {
    storeSession(aUser({ name: 'Stale Name' }));
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProfilePage);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  /** The definition list as `{ term: description }`. */
  function details(element: HTMLElement): Record<string, string> {
    const terms = Array.from(element.querySelectorAll('dt'));
    return Object.fromEntries(
      terms.map((term) => [term.textContent?.trim(), term.nextElementSibling?.textContent?.trim() ?? '']),
    );
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('loads the current user from GET /api/auth/me and shows it', async () => {
    const element = await render();
    expect(element.textContent).toContain('Loading your profile');

    backend.expectOne('/api/auth/me').flush(
      aUser({
        name: 'Pat Product',
        email: 'pat@example.com',
        role: 'viewer',
        lastLoginAt: '2025-03-04T09:15:00.000Z',
        createdAt: '2025-01-02T08:00:00.000Z',
      }),
    );
    await settle(fixture);

    const shown = details(element);
    expect(shown['Name']).toBe('Pat Product');
    expect(shown['Email']).toBe('pat@example.com');
    expect(shown['Role']).toBe('viewer');
    expect(shown['Last sign-in']).toMatch(/Mar 4, 2025/);
    expect(shown['Member since']).toBe('Jan 2, 2025');
    expect(TestBed.inject(AuthStore).user()?.name).toBe('Pat Product');
  });

  it('says "Never" for a user who has not signed in before', async () => {
    const element = await render();
    backend.expectOne('/api/auth/me').flush(aUser({ lastLoginAt: null }));
    await settle(fixture);

    expect(details(element)['Last sign-in']).toBe('Never');
  });

  it('shows the text of a user name as text, never as markup', async () => {
    const element = await render();
    backend.expectOne('/api/auth/me').flush(aUser({ name: '<img src=x onerror="alert(1)">' }));
    await settle(fixture);

    expect(details(element)['Name']).toBe('<img src=x onerror="alert(1)">');
    expect(element.querySelector('img')).toBeNull();
  });

  it('offers a retry when the profile cannot be loaded', async () => {
    const element = await render();
    backend
      .expectOne('/api/auth/me')
      .flush({ statusCode: 500, message: 'Internal server error' }, { status: 500, statusText: 'Server Error' });
    await settle(fixture);

    expect(element.textContent).toContain('Your profile could not be loaded.');
    await (
      await TestbedHarnessEnvironment.loader(fixture).getHarness(MatButtonHarness.with({ text: 'Try again' }))
    ).click();

    backend.expectOne('/api/auth/me').flush(aUser());
    await settle(fixture);
    expect(details(element)['Email']).toBe('pat@example.com');
  });
});
