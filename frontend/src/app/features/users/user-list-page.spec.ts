import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatMenuHarness, MatMenuItemHarness } from '@angular/material/menu/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Route, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, tableRows } from '../../../testing/material-harnesses';
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
  let loader: HarnessLoader;
  /** Overlays too: dialogs, menus, select panels. */
  let rootLoader: HarnessLoader;
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
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    rootLoader = TestbedHarnessEnvironment.documentRootLoader(harness.fixture);
    return element;
  }

  async function stable(): Promise<void> {
    await wait(0);
    await harness.fixture.whenStable();
  }

  function expectList(): TestRequest {
    return backend.expectOne((req) => req.url === '/api/users' && req.method === 'GET');
  }

  /** Opens the actions menu of this user's row. */
  async function openActions(email: string): Promise<MatMenuHarness> {
    const menu = await loader.getHarness(MatMenuHarness.with({ ancestor: `tr[data-user="${email}"]` }));
    await menu.open();
    await stable();
    return menu;
  }

  const menuItem = (menu: MatMenuHarness, testId: string): Promise<MatMenuItemHarness> =>
    menu.getHarness(MatMenuItemHarness.with({ selector: byTestId(testId) }));

  const roleSelect = (email: string): Promise<MatSelectHarness> =>
    loader.getHarness(MatSelectHarness.with({ ancestor: `tr[data-user="${email}"]` }));

  /** Opens the "Add user" dialog. */
  async function openAddUser(): Promise<MatDialogHarness> {
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Add user' }))).click();
    await stable();
    return rootLoader.getHarness(MatDialogHarness);
  }

  const dialogInput = (dialog: MatDialogHarness, name: string): Promise<MatInputHarness> =>
    dialog.getHarness(MatInputHarness.with({ selector: `input[formControlName="${name}"]` }));

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

    const rows = await tableRows(loader);
    expect(rows.map((cells) => cells.slice(0, 5))).toEqual([
      ['Ada Admin (you)', 'admin@example.com', 'admin', 'Active', expect.stringMatching(/Mar 4, 2025/)],
      ['Pat Product', 'pat@example.com', 'editor', 'Active', expect.stringMatching(/Mar 4, 2025/)],
      ['—', 'old@example.com', 'editor', 'Disabled', 'Never'],
    ]);
    expect(
      await (await loader.getHarness(MatInputHarness.with({ selector: byTestId('user-search') }))).getValue(),
    ).toBe('pat');
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

    const dialog = await openAddUser();
    expect(await dialog.getTitleText()).toBe('Add user');
    const fill = async (name: string, value: string) => (await dialogInput(dialog, name)).setValue(value);
    const submit = await dialog.getHarness(MatButtonHarness.with({ selector: byTestId('create-user-submit') }));
    await fill('email', 'new@example.com');
    await fill('name', 'Nia New');
    await fill('password', 'short');
    await submit.click();
    await stable();
    expect(await dialog.getText()).toContain('At least 8 characters');
    backend.expectNone('/api/users');

    await fill('password', 'correct horse battery');
    await submit.click();
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
    expect((await tableRows(loader)).length).toBe(2);
  });

  it('shows a rejected new user in the dialog, not in a snackbar', async () => {
    await render('admin');
    expectList().flush(pageOf([me]));
    await stable();
    const dialog = await openAddUser();
    await (await dialogInput(dialog, 'email')).setValue('pat@example.com');
    await (await dialogInput(dialog, 'password')).setValue('correct horse battery');
    await (await dialog.getHarness(MatButtonHarness.with({ selector: byTestId('create-user-submit') }))).click();
    backend
      .expectOne((req) => req.method === 'POST')
      .flush({ statusCode: 409, message: 'A user with this email exists' }, { status: 409, statusText: 'Conflict' });
    await stable();

    expect(overlay('mat-dialog-container [data-testid="dialog-error"]')?.textContent).toContain(
      'A user with this email exists',
    );
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it("shows the server's refusal to take away the last admin in the snackbar", async () => {
    await render('admin');
    expectList().flush(pageOf([me, pat]));
    await stable();

    const menu = await openActions('admin@example.com');
    expect(await (await menuItem(menu, 'toggle-disabled')).isDisabled()).toBe(true);
    expect(await (await menuItem(menu, 'delete-user')).isDisabled()).toBe(true);
    await menu.close();
    await wait(50);
    await stable();

    // Demoting yourself, the last admin:
    const select = await roleSelect('admin@example.com');
    await select.open();
    await select.clickOptions({ text: 'viewer' });
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
    expect(await (await roleSelect('admin@example.com')).getValueText()).toBe('admin');
  });

  it('disables and deletes a user after confirmation', async () => {
    await render('admin');
    expectList().flush(pageOf([me, pat]));
    await stable();

    await (await menuItem(await openActions('pat@example.com'), 'toggle-disabled')).click();
    const disable = backend.expectOne('/api/users/pat');
    expect(disable.request.body).toEqual({ disabled: true });
    disable.flush({ ...pat, disabled: true });
    await stable();
    expect(snackBar.open).toHaveBeenCalledWith('pat@example.com is disabled', 'Dismiss', expect.anything());
    expectList().flush(pageOf([me, { ...pat, disabled: true }]));
    await wait(50);
    await stable();

    const menu = await openActions('pat@example.com');
    expect(await (await menuItem(menu, 'toggle-disabled')).getText()).toBe('Enable');
    await (await menuItem(menu, 'delete-user')).click();
    await wait(50);
    await stable();
    const confirm = await rootLoader.getHarness(MatDialogHarness);
    expect(await confirm.getText()).toContain('Delete user?');
    expect(await confirm.getText()).toContain('Pat Product (pat@example.com) will no longer be able to sign in.');
    await (await confirm.getHarness(MatButtonHarness.with({ selector: byTestId('confirm') }))).click();
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
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Try again', ancestor: '[role="alert"]' }))).click();
    expectList().flush(pageOf([]));
    await stable();
    expect(element.querySelector('[data-testid="users-empty"]')?.textContent).toContain('No users.');
  });
});
