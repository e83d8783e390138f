import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { of, Subject } from 'rxjs';
import { aCluster, aClusterDetail, anIssueItem } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { paste } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { CLUSTERS_ROUTES } from './clusters.routes';

@Component({ template: '' })
class Blank {}

const ID = 'c1a2b3c4-0000-4000-8000-000000000001';
const TARGET = 'c1a2b3c4-0000-4000-8000-000000000003';

describe('ClusterDetailPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };
  const dialog = { open: jest.fn() };

  async function render(role: Role): Promise<HTMLElement> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'clusters', children: CLUSTERS_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: MatDialog, useValue: dialog },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(`/clusters/${ID}`);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return harness.routeNativeElement as HTMLElement;
  }

  async function flushCluster(body: unknown = aClusterDetail(), id = ID): Promise<void> {
    backend.expectOne(`/api/clusters/${id}`).flush(body);
    await harness.fixture.whenStable();
  }

  const el = <T extends Element = HTMLElement>(element: HTMLElement, testId: string): T | null =>
    element.querySelector<T>(`[data-testid="${testId}"]`);

  /** A Material button by its text, optionally inside `ancestor`. */
  const button = (text: string | RegExp, ancestor?: string): Promise<MatButtonHarness> =>
    loader.getHarness(MatButtonHarness.with({ text, ancestor }));
  /** A Material input or textarea by its test id. */
  const input = (testId: string): Promise<MatInputHarness> =>
    loader.getHarness(MatInputHarness.with({ selector: `[data-testid="${testId}"]` }));

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset().mockReturnValue({ onAction: () => new Subject<void>() });
    dialog.open.mockReset().mockReturnValue({ afterClosed: () => of(true) });
  });
  afterEach(() => backend.verify());

  it('shows the name, summary, sparkline, issues with quotes and tickets with links', async () => {
    const element = await render('viewer');
    expect(element.textContent).toContain('Loading the cluster');
    await flushCluster();

    expect(el(element, 'cluster-name')?.textContent?.trim()).toBe('Wrong VAT rate on invoices');
    expect(el(element, 'cluster-summary')?.textContent).toBe(
      'Invoices apply the standard VAT rate to reduced-rate products.',
    );
    const sparkline = element.querySelector('svg[data-testid="sparkline"]');
    expect(sparkline?.getAttribute('role')).toBe('img');
    expect(sparkline?.getAttribute('aria-label')).toBe('6 issues over 3 days, at most 3 a day; last day: 2');
    expect(sparkline?.querySelector('polyline')).not.toBeNull();
    expect(el(element, 'cluster-trend')?.textContent).toContain('+50%');

    const issues = Array.from(element.querySelectorAll('[data-testid="issue"]'));
    expect(issues.map((issue) => issue.querySelector('blockquote')?.textContent)).toEqual([
      'The VAT on my invoice is 19% but it should be 7%.',
      'Again 19% instead of 7%.',
    ]);
    expect(issues[0].querySelector('a')?.getAttribute('href')).toBe('/tickets/1042');

    const ticket = element.querySelector('[data-ticket="1043"]');
    expect(ticket?.querySelector('a')?.getAttribute('href')).toBe('/tickets/1043');
    const zendesk = ticket?.querySelector<HTMLAnchorElement>('[data-testid="zendesk-link"]');
    expect(zendesk?.href).toBe('https://acme.zendesk.com/agent/tickets/1043');
    expect(zendesk?.target).toBe('_blank');
    expect(zendesk?.rel).toContain('noopener');
  });

  it('shows viewers the triage read-only, with no editing, merge or split controls', async () => {
    const element = await render('viewer');
    await flushCluster(aClusterDetail({ owner: 'Robin', pmNotes: 'Tax table fix in March', pmStatus: 'reviewing' }));

    expect(el(element, 'triage')).toBeNull();
    expect(el(element, 'restructure')).toBeNull();
    expect(await loader.getAllHarnesses(MatCheckboxHarness)).toEqual([]);
    expect(el(element, 'triage-readonly')?.textContent).toContain('Reviewing');
    expect(el(element, 'triage-readonly')?.textContent).toContain('Robin');
    expect(el(element, 'triage-readonly')?.textContent).toContain('Tax table fix in March');
  });

  it('shows viewers the similar clusters as links, without pick or reject buttons', async () => {
    const element = await render('viewer');
    await flushCluster();

    const candidates = el(element, 'merge-candidates');
    expect(candidates?.textContent).toContain('Tax rate wrong on PDF');
    expect(candidates?.textContent).toContain('5 issues · 91% similar');
    expect(candidates?.querySelector('a')?.getAttribute('href')).toBe(`/clusters/${TARGET}`);
    expect(candidates?.querySelector('button')).toBeNull();
    expect(el(element, 'reject-candidate')).toBeNull();
    expect(element.textContent).not.toContain('Not the same');
  });

  it('rejects a merge candidate as not the same: DELETE, row removed, snackbar', async () => {
    const OTHER = 'c1a2b3c4-0000-4000-8000-000000000004';
    const element = await render('editor');
    await flushCluster(
      aClusterDetail({
        mergeCandidates: [
          { id: TARGET, name: 'Tax rate wrong on PDF', issueCount: 5, score: 0.91 },
          { id: OTHER, name: 'Invoice PDF blank', issueCount: 3, score: 0.72 },
        ],
      }),
    );
    const candidateRows = () =>
      Array.from(element.querySelectorAll('[data-testid="merge-candidates"] li')).map((li) =>
        li.getAttribute('data-candidate'),
      );
    expect(candidateRows()).toEqual([TARGET, OTHER]);
    // The candidate picked as merge target is the one rejected: the pick goes too.
    await (await button('Select', `[data-candidate="${TARGET}"]`)).click();
    expect(el(element, 'target')?.textContent).toContain('Tax rate wrong on PDF');

    const reject = await loader.getHarness(
      MatButtonHarness.with({ ancestor: `[data-candidate="${TARGET}"]`, selector: '[data-testid="reject-candidate"]' }),
    );
    expect(await reject.getText()).toBe('Not the same');
    await reject.click();
    // Asked first: the rejection is for good.
    expect(dialog.open).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ data: expect.objectContaining({ confirmLabel: 'Not the same' }) }),
    );
    const request = backend.expectOne(`/api/clusters/${ID}/merge-proposals/${TARGET}`);
    expect(request.request.method).toBe('DELETE');
    expect(await reject.isDisabled()).toBe(true);
    request.flush(null, { status: 204, statusText: 'No Content' });
    await harness.fixture.whenStable();

    expect(candidateRows()).toEqual([OTHER]);
    expect(el(element, 'target')).toBeNull();
    expect(snackBar.open).toHaveBeenCalledWith(
      '"Tax rate wrong on PDF" will not be proposed again',
      undefined,
      expect.anything(),
    );
    // No reload: the list changed in place.
    backend.expectNone(`/api/clusters/${ID}`);
  });

  it('sends nothing when the PM cancels "Not the same"', async () => {
    const element = await render('editor');
    await flushCluster();
    dialog.open.mockReturnValue({ afterClosed: () => of(false) });
    const reject = await button('Not the same');
    await reject.click();
    backend.expectNone(`/api/clusters/${ID}/merge-proposals/${TARGET}`);
    expect(el(element, 'merge-candidates')?.textContent).toContain('Tax rate wrong on PDF');
    expect(await reject.isDisabled()).toBe(false);
  });

  it('keeps a merge candidate when the rejection fails', async () => {
    const element = await render('admin');
    await flushCluster();
    const reject = await button('Not the same');
    await reject.click();
    // A void endpoint is read as text, so the error body arrives as a JSON string.
    backend
      .expectOne(`/api/clusters/${ID}/merge-proposals/${TARGET}`)
      .flush(JSON.stringify({ statusCode: 500, message: 'Internal server error' }), {
        status: 500,
        statusText: 'Internal Server Error',
      });
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith(expect.any(String), 'Dismiss', expect.anything());
    expect(snackBar.open).not.toHaveBeenCalledWith(
      expect.stringContaining('not be proposed'),
      undefined,
      expect.anything(),
    );
    expect(el(element, 'merge-candidates')?.textContent).toContain('Tax rate wrong on PDF');
    expect(await reject.isDisabled()).toBe(false);
  });

  it('sends a PATCH when an editor changes the status, then reloads', async () => {
    const element = await render('editor');
    await flushCluster();

    const status = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="pm-status"]' }));
    await status.open();
    await status.clickOptions({ text: 'In progress' });

    const patch = backend.expectOne(`/api/clusters/${ID}`);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ pmStatus: 'in_progress' });
    patch.flush(aCluster({ pmStatus: 'in_progress' }));
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('Status set to In progress', undefined, expect.anything());
    await flushCluster(aClusterDetail({ pmStatus: 'in_progress' }));
    expect(el(element, 'cluster-status-chip')?.textContent).toBe('In progress');
  });

  it('saves only the changed fields of the triage form and shows server errors', async () => {
    const element = await render('admin');
    await flushCluster();
    const save = await button('Save');
    expect(await save.isDisabled()).toBe(true);

    await (await input('name')).setValue('VAT: reduced rate ignored');
    await (await input('notes')).setValue('Billing team is on it');
    await paste(await input('external-url'), 'not a url');
    await save.click();

    const failed = backend.expectOne(`/api/clusters/${ID}`);
    expect(failed.request.body).toEqual({
      name: 'VAT: reduced rate ignored',
      pmNotes: 'Billing team is on it',
      externalUrl: 'not a url',
    });
    failed.flush(
      { statusCode: 400, message: ['externalUrl must be a URL address'] },
      { status: 400, statusText: 'Bad' },
    );
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('externalUrl must be a URL address', 'Dismiss', expect.anything());
    expect(await (await input('name')).getValue()).toBe('VAT: reduced rate ignored');

    await paste(await input('external-url'), 'https://linear.app/acme/issue/BIL-12');
    await save.click();
    const saved = backend.expectOne(`/api/clusters/${ID}`);
    expect(saved.request.body.externalUrl).toBe('https://linear.app/acme/issue/BIL-12');
    saved.flush(aCluster());
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('Cluster saved', undefined, expect.anything());
    await flushCluster(
      aClusterDetail({
        name: 'VAT: reduced rate ignored',
        lockedFields: ['name'],
        externalUrl: 'https://linear.app/acme/issue/BIL-12',
      }),
    );
    expect(el(element, 'cluster-name')?.textContent).toContain('Name locked');
    expect(el<HTMLAnchorElement>(element, 'external-link')?.rel).toContain('noopener');
  });

  it('merges into a picked candidate after confirmation and opens it', async () => {
    const element = await render('editor');
    await flushCluster();

    await (await button('Select', '[data-testid="merge-candidates"]')).click();
    expect(el(element, 'target')?.textContent).toContain('Tax rate wrong on PDF');
    await (await button(/^Merge this cluster into/)).click();
    expect(dialog.open).toHaveBeenCalled();

    const merge = backend.expectOne(`/api/clusters/${TARGET}/merge`);
    expect(merge.request.method).toBe('POST');
    expect(merge.request.body).toEqual({ sourceIds: [ID] });
    merge.flush(aCluster({ id: TARGET }));
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('Merged into Tax rate wrong on PDF', undefined, expect.anything());
    expect(TestBed.inject(Router).url).toBe(`/clusters/${TARGET}`);
    await flushCluster(aClusterDetail({ id: TARGET }), TARGET);
  });

  it('splits selected issues off and moves an issue to a searched cluster', async () => {
    const element = await render('editor');
    await flushCluster();
    const split = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid="split"]' }));
    expect(await split.isDisabled()).toBe(true);

    await (
      await loader.getHarness(
        MatCheckboxHarness.with({ ancestor: '[data-issue="i0000000-0000-4000-8000-000000000002"]' }),
      )
    ).check();
    await (await input('split-name')).setValue('VAT repeat reports');
    expect(await split.getText()).toContain('Split 1 selected issue off');
    await split.click();
    const splitRequest = backend.expectOne(`/api/clusters/${ID}/split`);
    expect(splitRequest.request.body).toEqual({
      issueIds: ['i0000000-0000-4000-8000-000000000002'],
      name: 'VAT repeat reports',
    });
    splitRequest.flush(aCluster({ id: 'new', name: 'VAT repeat reports' }));
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('1 issue split into "VAT repeat reports"', 'Open', expect.anything());
    await flushCluster(aClusterDetail({ issues: [anIssueItem()] }));

    await (await input('target-search')).setValue('export');
    await new Promise((resolve) => setTimeout(resolve, 350));
    const search = backend.expectOne((req) => req.url === '/api/clusters');
    expect(search.request.params.get('search')).toBe('export');
    search.flush({
      items: [aCluster({ id: 'c9', name: 'CSV export times out', issueCount: 30 })],
      total: 1,
      page: 1,
      perPage: 10,
    });
    await (await button('CSV export times out', '[data-testid="target-results"]')).click();

    await (await button('Move to CSV export times out')).click();
    const move = backend.expectOne('/api/issues/i0000000-0000-4000-8000-000000000001/move');
    expect(move.request.body).toEqual({ clusterId: 'c9' });
    move.flush(anIssueItem({ clusterId: 'c9' }));
    await harness.fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('Issue moved to CSV export times out', undefined, expect.anything());
    await flushCluster(aClusterDetail({ issues: [] }));
    expect(element.textContent).toContain('This cluster has no issues.');
  });

  it('says when the cluster does not exist, and renders markup in quotes as text', async () => {
    const element = await render('viewer');
    backend
      .expectOne(`/api/clusters/${ID}`)
      .flush({ statusCode: 404, message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    await harness.fixture.whenStable();
    expect(el(element, 'cluster-error')?.textContent).toContain('This cluster does not exist.');
    expect(snackBar.open).not.toHaveBeenCalled();

    await harness.navigateByUrl(`/clusters/${TARGET}`);
    await flushCluster(
      aClusterDetail({ id: TARGET, issues: [anIssueItem({ quote: '<img src=x onerror="window.pwned=1">' })] }),
      TARGET,
    );
    expect(element.querySelector('blockquote')?.textContent).toBe('<img src=x onerror="window.pwned=1">');
    expect(element.querySelector('blockquote img')).toBeNull();
  });
});
