import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { DashboardPage } from './dashboard-page';

describe('DashboardPage', () => {
  beforeEach(() => localStorage.clear());

  it("shows the signed-in user's name and role and what the dashboard will hold", async () => {
    storeSession(aUser({ name: 'Robin Admin', email: 'robin@example.com', role: 'admin' }));
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(DashboardPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Dashboard');
    const signedInAs = element.querySelector('[data-testid="signed-in-as"]')?.textContent?.replace(/\s+/g, ' ');
    expect(signedInAs).toContain('Signed in as Robin Admin (robin@example.com) with the admin role.');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('emerging clusters');
  });
});
