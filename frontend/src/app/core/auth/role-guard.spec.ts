import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { roleGuard, routeRoles } from './role-guard';

@Component({ template: 'Dashboard' })
class DashboardStub {}

@Component({ template: 'Users' })
class UsersStub {}

describe('roleGuard', () => {
  async function visitAs(role: Role, url: string): Promise<{ text: string | undefined; url: string }> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'dashboard', component: DashboardStub },
          {
            path: 'users',
            component: UsersStub,
            canActivate: [roleGuard],
            data: routeRoles('admin'),
          },
          { path: 'open', component: UsersStub, canActivate: [roleGuard] },
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

  it('lets a user with one of the route roles in', async () => {
    expect(await visitAs('admin', '/users')).toEqual({
      text: 'Users',
      url: '/users',
    });
  });

  it.each<Role>(['editor', 'viewer'])('sends a %s to the dashboard', async (role) => {
    expect(await visitAs(role, '/users')).toEqual({
      text: 'Dashboard',
      url: '/dashboard',
    });
  });

  it('lets everyone into a route without roles', async () => {
    expect((await visitAs('viewer', '/open')).url).toBe('/open');
  });
});
