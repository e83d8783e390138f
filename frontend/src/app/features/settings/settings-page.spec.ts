import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatExpansionPanelHarness } from '@angular/material/expansion/testing';
import { MatErrorHarness } from '@angular/material/form-field/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import { MatRowHarness } from '@angular/material/table/testing';
import { MatTabGroupHarness } from '@angular/material/tabs/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  AnalysisSettingsResponse,
  AuditEntryResponse,
  AuditPageResponse,
  Role,
  UpdateTaxonomyRequest,
} from '@pim/api-client';
import { aTaxonomy, someCosts } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, choose } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { SETTINGS_ROUTES } from './settings.routes';

@Component({ template: '' })
class Blank {}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function analysisSettings(overrides: Partial<AnalysisSettingsResponse> = {}): AnalysisSettingsResponse {
  return {
    analyzer: 'claude',
    apiKeyConfigured: true,
    mode: 'auto',
    modeSource: 'env',
    model: 'claude-sonnet-4-6',
    modelSource: 'env',
    batchMinimum: 100,
    redaction: true,
    knownModels: ['claude-sonnet-4', 'claude-haiku-4-5', 'claude-opus-4-5'],
    ...overrides,
  };
}

function anAuditEntry(overrides: Partial<AuditEntryResponse> = {}): AuditEntryResponse {
  return {
    id: '7',
    actorId: 'u-1',
    actorEmail: 'admin@example.com',
    action: 'settings.analysis.update',
    entityType: 'settings',
    entityId: 'analysis',
    before: { mode: 'auto', model: 'claude-sonnet-4-6' },
    after: { mode: 'batch', model: '<b>claude-haiku-4-5</b>' },
    createdAt: '2025-03-02T10:15:00.000Z',
    ...overrides,
  };
}

function auditPage(items: AuditEntryResponse[], total = items.length): AuditPageResponse {
  return { items, total, page: 1, perPage: 25 };
}

describe('SettingsPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let element: HTMLElement;
  let loader: HarnessLoader;
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
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return element;
  }

  async function stable(): Promise<void> {
    await wait(0);
    await harness.fixture.whenStable();
  }

  async function tabLabels(): Promise<string[]> {
    const tabs = await (await loader.getHarness(MatTabGroupHarness)).getTabs();
    return Promise.all(tabs.map((tab) => tab.getLabel()));
  }

  const field = (selector: string): Promise<MatInputHarness> => loader.getHarness(MatInputHarness.with({ selector }));

  /** Types a value into a field and leaves it. */
  async function type(input: MatInputHarness, value: string): Promise<void> {
    await input.setValue(value);
    await input.blur();
    await stable();
  }

  async function openCategory(key: string): Promise<void> {
    await (await loader.getHarness(MatExpansionPanelHarness.with({ selector: `[data-category="${key}"]` }))).expand();
    await stable();
  }

  const button = (testId: string): Promise<MatButtonHarness> =>
    loader.getHarness(MatButtonHarness.with({ selector: byTestId(testId) }));
  const hasButton = (testId: string): Promise<boolean> =>
    loader.hasHarness(MatButtonHarness.with({ selector: byTestId(testId) }));
  const select = (testId: string): Promise<MatSelectHarness> =>
    loader.getHarness(MatSelectHarness.with({ selector: byTestId(testId) }));

  function text(selector: string): string {
    return element.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
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

    expect(await tabLabels()).toEqual(['Taxonomy', 'Analysis']);
    expect(element.querySelector('[data-testid="read-only"]')?.textContent).toContain('Only admins can change');
    expect(await hasButton('taxonomy-save')).toBe(false);
    expect(element.textContent).not.toContain('Add category');
    expect(
      await (
        await loader.getHarness(MatExpansionPanelHarness.with({ selector: '[data-category="billing"]' }))
      ).getTitle(),
    ).toBe('Billing');
    const productContext = await field('textarea[formControlName="productContext"]');
    expect(await productContext.isDisabled()).toBe(true);
    expect(await productContext.getValue()).toBe('A B2B invoicing product for small companies.');
    const toggles = await loader.getAllHarnesses(MatSlideToggleHarness.with({ selector: '[data-redaction]' }));
    const redaction = await Promise.all(toggles.map((toggle) => toggle.getLabelText()));
    expect(redaction).toContain('IBANs');
  });

  it('lets admins edit and save the taxonomy, sending a changed key as a rename', async () => {
    await render('admin');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
    await stable();
    expect(await tabLabels()).toEqual(['Taxonomy', 'Analysis', 'Zendesk', 'Analysis costs', 'Audit log']);

    await openCategory('billing');
    await type(await field('[data-subcategory="invoices"] input[formControlName="key"]'), 'invoicing');
    expect(element.textContent).toContain('Renamed from invoices');
    await (await loader.getHarness(MatSlideToggleHarness.with({ selector: '[data-redaction="ip"]' }))).toggle();
    await stable();

    await (await button('taxonomy-save')).click();
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
    await type(await field('[data-category="billing"] input[formControlName="name"]'), 'Billing & payments');

    await (await button('taxonomy-save')).click();
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
    const paymentsError = await loader.getHarness(MatErrorHarness.with({ ancestor: '[data-subcategory="payments"]' }));
    expect(await paymentsError.getText()).toContain(
      'categories.0.subcategories.1.description must be shorter than or equal to 300 characters',
    );
  });

  it('tests the Zendesk connection for admins', async () => {
    await render('admin', '/settings?tab=zendesk');
    await stable();
    // Only the open tab loads.
    backend.expectNone('/api/settings/taxonomy');

    await (await button('zendesk-test')).click();
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
    expect(await tabLabels()).toEqual(['Taxonomy', 'Analysis', 'Analysis costs']);
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

  it('shows viewers the analysis settings read-only, with the local analyzer when no key is set', async () => {
    await render('viewer', '/settings?tab=analysis');
    backend
      .expectOne('/api/settings/analysis')
      .flush(
        analysisSettings({ analyzer: 'local', apiKeyConfigured: false, mode: 'realtime', modelSource: 'settings' }),
      );
    await stable();

    expect(text('[data-testid="analyzer"]')).toContain('No API key set: the local analyzer is used');
    expect(text('[data-testid="analysis-values"]')).toContain('Realtime: one call per ticket');
    expect(text('[data-testid="analysis-values"]')).toContain('claude-sonnet-4-6 (chosen by an admin)');
    expect(text('[data-testid="analysis-read-only"]')).toContain('Only admins can change');
    expect(await hasButton('analysis-save')).toBe(false);
    expect(await loader.hasHarness(MatSelectHarness.with({ selector: byTestId('analysis-mode') }))).toBe(false);
  });

  it('lets admins change the analysis mode and model, sending only what changed', async () => {
    await render('admin', '/settings?tab=analysis');
    backend.expectOne('/api/settings/analysis').flush(analysisSettings({ model: 'claude-sonnet-4-6' }));
    await stable();

    expect(text('[data-testid="analyzer"]')).toContain('Tickets are analysed with Claude');
    const save = await button('analysis-save');
    expect(await save.isDisabled()).toBe(true);

    // The model select offers the current model and the priced ones.
    const model = await select('analysis-model');
    await model.open();
    await stable();
    expect(await Promise.all((await model.getOptions()).map((option) => option.getText()))).toEqual([
      'claude-sonnet-4-6',
      'claude-sonnet-4',
      'claude-haiku-4-5',
      'claude-opus-4-5',
    ]);
    await model.close();
    await wait(50);
    await stable();

    await choose(loader, 'analysis-model', ['claude-haiku-4-5']);
    await stable();
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await stable();

    const put = backend.expectOne('/api/settings/analysis');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ model: 'claude-haiku-4-5' });
    put.flush(analysisSettings({ model: 'claude-haiku-4-5', modelSource: 'settings' }));
    await stable();

    expect(snackBar.open).toHaveBeenCalledWith(
      'Saved: the next run uses claude-haiku-4-5 in auto mode',
      'Dismiss',
      expect.anything(),
    );
    expect(await save.isDisabled()).toBe(true);
    expect(await model.getValueText()).toContain('claude-haiku-4-5');

    // An admin's choice can be dropped: the server defaults apply again.
    const reset = await button('analysis-reset');
    expect(await reset.getText()).toBe('Use server defaults');
    await reset.click();
    await stable();
    const back = backend.expectOne('/api/settings/analysis');
    expect(back.request.method).toBe('PUT');
    expect(back.request.body).toEqual({ mode: null, model: null });
    back.flush(analysisSettings({ model: 'claude-sonnet-4-6' }));
    await stable();
    expect(await hasButton('analysis-reset')).toBe(false);
  });

  it("shows the server's message when saving the analysis settings fails", async () => {
    await render('admin', '/settings?tab=analysis');
    backend.expectOne('/api/settings/analysis').flush(analysisSettings());
    await stable();

    await choose(loader, 'analysis-mode', ['Batch: Message Batches, half price, results within hours']);
    await stable();
    await (await button('analysis-save')).click();
    await stable();
    const put = backend.expectOne('/api/settings/analysis');
    expect(put.request.body).toEqual({ mode: 'batch' });
    put.flush(
      {
        statusCode: 400,
        message: ['mode must be one of the following values: realtime, batch, auto'],
        error: 'Bad Request',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await stable();

    expect(snackBar.open).toHaveBeenCalledWith(
      'mode must be one of the following values: realtime, batch, auto',
      'Dismiss',
      expect.anything(),
    );
    // The choice stays, ready for another try.
    expect(await (await button('analysis-save')).isDisabled()).toBe(false);
  });

  it('shows admins the audit log, paged, with each change as text', async () => {
    await render('admin', '/settings?tab=audit');
    let request = backend.expectOne((req) => req.url === '/api/audit');
    expect(request.request.params.get('page')).toBe('1');
    expect(request.request.params.get('perPage')).toBe('25');
    request.flush(
      auditPage(
        [
          anAuditEntry(),
          anAuditEntry({
            id: '6',
            actorEmail: null,
            action: 'user.create',
            entityType: 'user',
            entityId: null,
            before: null,
            after: null,
          }),
        ],
        30,
      ),
    );
    await stable();

    const auditRows = await loader.getAllHarnesses(MatRowHarness.with({ selector: 'tr[data-audit]' }));
    const rows = await Promise.all(
      auditRows.map(async (row) => (await row.getCellTextByIndex()).map((cell) => cell.replace(/\s+/g, ' ').trim())),
    );
    expect(rows).toEqual([
      [
        expect.stringContaining('2025'),
        'admin@example.com',
        'settings.analysis.update',
        'settings analysis',
        'Show changes',
      ],
      [expect.stringContaining('2025'), 'system', 'user.create', 'user', ''],
    ]);
    expect(element.querySelector('[data-testid="audit-diff"]')).toBeNull();

    const toggle = await loader.getHarness(
      MatButtonHarness.with({ ancestor: 'tr[data-audit="7"]', selector: byTestId('audit-toggle') }),
    );
    await toggle.click();
    await stable();
    const before = element.querySelector('[data-testid="audit-before"]');
    const after = element.querySelector('[data-testid="audit-after"]');
    expect(before?.textContent).toBe(JSON.stringify({ mode: 'auto', model: 'claude-sonnet-4-6' }, null, 2));
    expect(after?.textContent).toContain('"model": "<b>claude-haiku-4-5</b>"');
    // Text, never markup.
    expect(after?.querySelector('b')).toBeNull();
    expect(await toggle.getText()).toBe('Hide changes');

    await (await loader.getHarness(MatPaginatorHarness)).goToNextPage();
    await stable();
    request = backend.expectOne((req) => req.url === '/api/audit');
    expect(request.request.params.get('page')).toBe('2');
    request.flush({ ...auditPage([anAuditEntry({ id: '1', action: 'cluster.merge' })], 30), page: 2 });
    await stable();
    expect(Array.from(element.querySelectorAll('tr[data-audit]')).map((row) => row.getAttribute('data-audit'))).toEqual(
      ['1'],
    );
    expect(element.querySelector('[data-testid="audit-diff"]')).toBeNull();
  });

  it('does not offer the audit log to editors, even by URL', async () => {
    await render('editor', '/settings?tab=audit');
    await stable();
    expect(await tabLabels()).not.toContain('Audit log');
    backend.expectNone((req) => req.url === '/api/audit');
    backend.expectOne('/api/settings/taxonomy').flush(aTaxonomy());
  });
});
