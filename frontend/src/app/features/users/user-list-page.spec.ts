import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Route, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { appRoutes } from '../../app.routes';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { pagingInterceptor } from '../../core/http/paging';

@Component({ template: '' })
class Blank {}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app's own `/users` route, guard included. */
const usersRoute = appRoutes
  .find((route) => route.path === '')
  ?.children?.find((route) => route.path === 'users') as Route;

const me = aUser({ id: 'me', email: 'admin@example.com', name: 'Ada Admin', role: 'admin' });
const pat = aUser({ id: 'pat', email: 'pat@example.com', name: 'Pat Product', role: 'editor' });

describe('UserListPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let element: HTMLElement;
  const snackBar = { open: jest.fn() };

  async function render(role: Role, url = '/users'): Promise<HTMLElement> {
    storeSession(aUser({ ...me, role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([usersRoute, { path: '**', component: Blank }], withComponentInputBinding()),
        provideHttpClient(withInterceptors([pagingInterceptor, httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    element = harness.routeNativeElement as HTMLElement;
    return element;
  }

  async function stable(): Promise<void> {
    await wait(0);
    await harness.fixture.whenStable();
  }

  function expectList(): TestRequest {
    return backend.expectOne((req) => req.url === '/api/users' && req.method === 'GET');
  }

  async function openActions(email: string): Promise<void> {
    element.querySelector<HTMLButtonElement>(`tr[data-user="${email}"] [data-testid="user-actions"]`)?.click();
    await stable();
  }

  function overlay(selector: string): HTMLElement | null {
    return document.querySelector<HTMLElement>(`.cdk-overlay-container ${selector}`);
  }

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((container) => (container.innerHTML = ''));
  });

  it('lists users for admins, searched and paged as the URL says', async () => {
    await render('admin', '/users?search=pat&page=2');
    const request = expectList();
    expect(request.request.params.get('search')).toBe('pat');
    expect(request.request.params.get('page')).toBe('2');
    request.flush(
      pageOf([me, pat, aUser({ id: 'old', email: 'old@example.com', name: '', disabled: true, lastLoginAt: null })], {
        total: 28,
        page: 2,
      }),
    );
    await stable();

    const rows = Array.from(element.querySelectorAll('tr[mat-row]')).map((row) =>
      Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(rows.map((cells) => cells.slice(0, 5))).toEqual([
      ['Ada Admin (you)', 'admin@example.com', 'admin', 'Active', expect.stringMatching(/Mar 4, 2025/)],
      ['Pat Product', 'pat@example.com', 'editor', 'Active', expect.stringMatching(/Mar 4, 2025/)],
      ['—', 'old@example.com', 'editor', 'Disabled', 'Never'],
    ]);
    expect(element.querySelector('[data-testid="user-search"]')).toHaveProperty('value', 'pat');
  });

  it('is closed to non-admins: they are sent to the dashboard without loading users', async () => {
    await render('editor');

    expect(TestBed.inject(Router).url).toBe('/dashboard');
    expect(element.textContent).not.toContain('Users');
    backend.expectNone((req) => req.url === '/api/users');
  });

  it('adds a user from the dialog', async () => {
    await render('admin');
    expectList().flush(pageOf([me]));
    await stable();

    element.querySelector<HTMLButtonElement>('[data-testid="add-user"]')?.click();
    await stable();
    const dialog = overlay('mat-dialog-container');
    expect(dialog?.querySelector('h2')?.textContent).toBe('Add user');
    const fill = (name: string, value: string) => {
      const input = dialog?.querySelector<HTMLInputElement>(`input[formControlName="${name}"]`);
      if (!input) throw new Error(`no ${name}`);
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    fill('email', 'new@example.com');
    fill('name', 'Nia New');
    fill('password', 'short');
    dialog?.querySelector<HTMLButtonElement>('[data-testid="create-user-submit"]')?.click();
    await stable();
    expect(dialog?.textContent).toContain('At least 8 characters');
    backend.expectNone('/api/users');

    fill('password', 'correct horse battery');
    dialog?.querySelector<HTMLButtonElement>('[data-testid="create-user-submit"]')?.click();
    const create = backend.expectOne((req) => req.url === '/api/users' && req.method === 'POST');
    expect(create.request.body).toEqual({
      email: 'new@example.com',
      name: 'Nia New',
      role: 'viewer',
      password: 'correct horse battery',
    });
    create.flush(aUser({ id: 'new', email: 'new@example.com', name: 'Nia New', role: 'viewer' }));
    await wait(50);
    await stable();

    expect(snackBar.open).toHaveBeenCalledWith('Added new@example.com', 'Dismiss', expect.anything());
    expectList().flush(pageOf([me, aUser({ id: 'new', email: 'new@example.com', role: 'viewer' })]));
    await stable();
    expect(element.querySelectorAll('tr[mat-row]').length).toBe(2);
  });

  it('shows a rejected new user in the dialog, not in a snackbar', async () => {
    await render('admin');
    expectList().flush(pageOf([me]));
    await stable();
    element.querySelector<HTMLButtonElement>('[data-testid="add-user"]')?.click();
    await stable();
    const dialog = overlay('mat-dialog-container');
    for (const [name, value] of [
      ['email', 'pat@example.com'],
      ['password', 'correct horse battery'],
    ]) {
      const input = dialog?.querySelector<HTMLInputElement>(`input[formControlName="${name}"]`);
      if (input) {
        input.value = value;
        input.dispatchEvent(new Event('input'));
      }
    }
    dialog?.querySelector<HTMLButtonElement>('[data-testid="create-user-submit"]')?.click();
    backend
      .expectOne((req) => req.method === 'POST')
      .flush({ statusCode: 409, message: 'A user with this email exists' }, { status: 409, statusText: 'Conflict' });
    await stable();

    expect(dialog?.querySelector('[data-testid="dialog-error"]')?.textContent).toContain(
      'A user with this email exists',
    );
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it("shows the server's refusal to take away the last admin in the snackbar", async () => {
    await render('admin');
    expectList().flush(pageOf([me, pat]));
    await stable();

    await openActions('admin@example.com');
    expect(overlay('[data-testid="toggle-disabled"]')).toHaveProperty('disabled', true);
    expect(overlay('[data-testid="delete-user"]')).toHaveProperty('disabled', true);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    overlay('.cdk-overlay-backdrop')?.click();
    await wait(50);
    await stable();

    // Demoting yourself, the last admin:
    const select = element.querySelector('tr[data-user="admin@example.com"] mat-select') as HTMLElement;
    select.click();
    await stable();
    Array.from(document.querySelectorAll<HTMLElement>('mat-option'))
      .find((option) => option.textContent?.trim() === 'viewer')
      ?.click();
    await stable();

    const patch = backend.expectOne('/api/users/me');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ role: 'viewer' });
    patch.flush(
      { statusCode: 409, message: 'At least one active admin must remain', error: 'Conflict' },
      { status: 409, statusText: 'Conflict' },
    );
    await stable();

    expect(snackBar.open).toHaveBeenCalledWith('At least one active admin must remain', 'Dismiss', expect.anything());
    // The list is read again, so the row shows the role the user really has.
    expectList().flush(pageOf([me, pat]));
    await stable();
    expect(element.querySelector('tr[data-user="admin@example.com"] mat-select')?.textContent?.trim()).toBe('admin');
  });

  it('disables and deletes a user after confirmation', async () => {
    await render('admin');
    expectList().flush(pageOf([me, pat]));
    await stable();

    await openActions('pat@example.com');
    overlay('[data-testid="toggle-disabled"]')?.click();
    const disable = backend.expectOne('/api/users/pat');
    expect(disable.request.body).toEqual({ disabled: true });
    disable.flush({ ...pat, disabled: true });
    await stable();
    expect(snackBar.open).toHaveBeenCalledWith('pat@example.com is disabled', 'Dismiss', expect.anything());
    expectList().flush(pageOf([me, { ...pat, disabled: true }]));
    await wait(50);
    await stable();

    await openActions('pat@example.com');
    expect(overlay('[data-testid="toggle-disabled"]')?.textContent?.trim()).toBe('Enable');
    overlay('[data-testid="delete-user"]')?.click();
    await wait(50);
    await stable();
    const confirm = overlay('mat-dialog-container');
    expect(confirm?.textContent).toContain('Delete user?');
    expect(confirm?.textContent).toContain('Pat Product (pat@example.com) will no longer be able to sign in.');
    confirm?.querySelector<HTMLButtonElement>('[data-testid="confirm"]')?.click();
    await wait(50);
    await stable();

    const remove = backend.expectOne('/api/users/pat');
    expect(remove.request.method).toBe('DELETE');
    remove.flush(null, { status: 204, statusText: 'No Content' });
    await stable();
    expect(snackBar.open).toHaveBeenCalledWith('Deleted pat@example.com', 'Dismiss', expect.anything());
    expectList().flush(pageOf([me]));
  });

  it('offers a retry when the users cannot be loaded', async () => {
    await render('admin');
    expectList().flush({ statusCode: 500, message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    await stable();

    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The users could not be loaded.');
    element.querySelector<HTMLButtonElement>('[role="alert"] button')?.click();
    expectList().flush(pageOf([]));
    await stable();
    expect(element.querySelector('[data-testid="users-empty"]')?.textContent).toContain('No users.');
  });
});
