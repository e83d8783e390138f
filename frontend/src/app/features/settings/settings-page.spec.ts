import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role, UpdateTaxonomyRequest } from '@pim/api-client';
import { aTaxonomy, someCosts } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { SETTINGS_ROUTES } from './settings.routes';

@Component({ template: '' })
class Blank {}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SettingsPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let element: HTMLElement;
  const snackBar = { open: jest.fn() };

  async function render(role: Role, url = '/settings'): Promise<HTMLElement> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'settings', children: SETTINGS_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
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

  function tabLabels(): string[] {
    return Array.from(element.querySelectorAll('[role="tab"]')).map((tab) => tab.textContent?.trim() ?? '');
  }

  function field(selector: string): HTMLInputElement {
    const input = element.querySelector<HTMLInputElement>(selector);
    if (!input) throw new Error(`no field ${selector}`);
    return input;
  }

  async function type(input: HTMLInputElement, value: string): Promise<void> {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await stable();
  }

  async function openCategory(key: string): Promise<void> {
    element.querySelector<HTMLElement>(`[data-category="${key}"] mat-expansion-panel-header`)?.click();
    await stable();
  }

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => backend.verify());

  it('shows viewers the taxonomy read-only and no Zendesk or cost tabs', async () => {
    await render('viewer');
    expect(element.textContent).toContain('Loading the taxonomy');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    await stable();

    expect(tabLabels()).toEqual(['Taxonomy']);
    expect(element.querySelector('[data-testid="read-only"]')?.textContent).toContain('Only admins can change');
    expect(element.querySelector('[data-testid="taxonomy-save"]')).toBeNull();
    expect(element.textContent).not.toContain('Add category');
    expect(element.querySelector('[data-category="billing"] mat-panel-title')?.textContent?.trim()).toBe('Billing');
    expect(field('textarea[formControlName="productContext"]').disabled).toBe(true);
    expect(field('textarea[formControlName="productContext"]').value).toBe(
      'A B2B invoicing product for small companies.',
    );
    const redaction = Array.from(element.querySelectorAll('[data-redaction]')).map((toggle) =>
      toggle.textContent?.trim(),
    );
    expect(redaction).toContain('IBANs');
  });

  it('lets admins edit and save the taxonomy, sending a changed key as a rename', async () => {
    await render('admin');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    await stable();
    expect(tabLabels()).toEqual(['Taxonomy', 'Zendesk', 'Analysis costs']);

    await openCategory('billing');
    await type(field('[data-subcategory="invoices"] input[formControlName="key"]'), 'invoicing');
    expect(element.textContent).toContain('Renamed from invoices');
    element.querySelector<HTMLButtonElement>('[data-redaction="ip"] button')?.click();
    await stable();

    element.querySelector<HTMLButtonElement>('[data-testid="taxonomy-save"]')?.click();
    await stable();
    const save = backend.expectOne('/api/settings/taxonomy');
    expect(save.request.method).toBe('PUT');
    const body = save.request.body as UpdateTaxonomyRequest;
    expect(body.categories[0].subcategories[0]).toEqual({
      key: 'invoicing',
      name: 'Invoices',
      description: 'Creating and sending invoices',
      renamedFrom: 'invoices',
    });
    expect(body.categories[0].subcategories[1]).not.toHaveProperty('renamedFrom');
    expect(body.redaction.ip).toBe(true);
    expect(body.issueTypes).toHaveLength(6);
    expect(body.severities.map((s) => s.key)).toEqual(['critical', 'high', 'medium', 'low']);

    save.flush(aTaxonomy({ version: 4 }));
    await stable();
    expect(snackBar.open).toHaveBeenCalledWith('Taxonomy saved (version 4)', 'Dismiss', expect.anything());
  });

  it("shows the server's 400 field errors on the fields they name", async () => {
    await render('admin');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    await stable();
    await openCategory('billing');
    await type(field('[data-category="billing"] input[formControlName="name"]'), 'Billing & payments');

    element.querySelector<HTMLButtonElement>('[data-testid="taxonomy-save"]')?.click();
    await stable();
    backend.expectOne('/api/settings/taxonomy').flush(
      {
        statusCode: 400,
        message: [
          'categories.0.subcategories.1.description must be shorter than or equal to 300 characters',
          'issueTypes must list each of bug, friction, ux_confusion, feature_request, documentation_gap, data_issue exactly once',
        ],
        error: 'Bad Request',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await stable();

    expect(snackBar.open).not.toHaveBeenCalled();
    expect(element.querySelector('[data-testid="taxonomy-errors"]')?.textContent).toContain(
      'issueTypes must list each of',
    );
    const payments = element.querySelector('[data-subcategory="payments"]');
    expect(payments?.querySelector('mat-error')?.textContent).toContain(
      'categories.0.subcategories.1.description must be shorter than or equal to 300 characters',
    );
  });

  it('tests the Zendesk connection for admins', async () => {
    await render('admin', '/settings?tab=zendesk');
    await stable();
    // Only the open tab loads.
    backend.expectNone('/api/settings/taxonomy');

    element.querySelector<HTMLButtonElement>('[data-testid="zendesk-test"]')?.click();
    backend.expectOne('/api/zendesk/connection').flush({
      configured: true,
      ok: false,
      apiUrl: 'https://acme.zendesk.com',
      authMethod: 'api_token',
      error: "Zendesk answered 401: Couldn't authenticate you",
      userName: null,
      userEmail: null,
      userRole: null,
    });
    await stable();

    const result = element.querySelector('[data-testid="zendesk-result"]');
    expect(result?.textContent).toContain("The connection failed: Zendesk answered 401: Couldn't authenticate you");
    expect(result?.textContent).toContain('https://acme.zendesk.com');
    expect(result?.textContent).toContain('API token');
  });

  it('shows editors the analysis costs by day and model with totals', async () => {
    await render('editor', '/settings?tab=costs');
    expect(tabLabels()).toEqual(['Taxonomy', 'Analysis costs']);
    const request = backend.expectOne((req) => req.url === '/api/analysis/costs');
    expect(request.request.params.get('days')).toBe('30');
    request.flush(someCosts());
    await stable();

    expect(element.querySelector('[data-testid="cost-totals"]')?.textContent).toContain('$0.20');
    const rows = Array.from(element.querySelectorAll('[data-testid="costs-by-day"] tbody tr')).map((row) =>
      Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['2025-03-02', 'claude-sonnet-4-6', '10', '20,000', '3,000', '1,000', '15,000', '0.1250'],
      ['2025-03-01', 'claude-haiku-4-5', '5', '20,000', '3,000', '1,000', '15,000', '0.0750'],
    ]);
    const total = Array.from(element.querySelectorAll('[data-testid="costs-by-day"] tfoot tr > *')).map((cell) =>
      cell.textContent?.trim(),
    );
    expect(total).toEqual(['Total', '15', '20,000', '3,000', '1,000', '15,000', '0.2000']);
    expect(element.querySelectorAll('[data-testid="costs-by-model"] tbody tr').length).toBe(2);
  });
});
