import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { authGuard } from './auth-guard';
import { AuthStore } from './auth-store';

@Component({ template: 'Login' })
class LoginStub {}

@Component({ template: 'Clusters' })
class ClustersStub {}

describe('authGuard', () => {
  async function visit(url: string): Promise<{ text: string | undefined; url: string }> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'login', component: LoginStub },
          {
            path: 'clusters',
            component: ClustersStub,
            canActivate: [authGuard],
          },
        ]),
      ],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return {
      text: harness.routeNativeElement?.textContent ?? undefined,
      url: TestBed.inject(Router).url,
    };
  }

  beforeEach(() => localStorage.clear());

  it('sends a signed-out visitor to the login page with the way back', async () => {
    const result = await visit('/clusters?page=2');

    expect(result.text).toBe('Login');
    expect(result.url).toBe('/login?returnUrl=%2Fclusters%3Fpage%3D2');
  });

  it('lets a signed-in user through', async () => {
    storeSession(aUser());

    const result = await visit('/clusters');

    expect(result.text).toBe('Clusters');
    expect(result.url).toBe('/clusters');
  });

  it('ends a session whose token has expired and asks for a new sign-in', async () => {
    storeSession(aUser(), { expiresInMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 60));

    const result = await visit('/clusters');

    expect(result.text).toBe('Login');
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
  });
});
