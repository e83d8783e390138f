import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpEventType } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatProgressBarHarness } from '@angular/material/progress-bar/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { aRun, aSyncStatus, pageOf } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId, tableRows } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { pagingInterceptor } from '../../core/http/paging';
import { RUN_POLL_INTERVAL_MS } from '../../shared/runs/follow-run';
import { SYNC_STATUS_IDLE_INTERVAL_MS } from './run-list-page';
import { RUNS_ROUTES } from './runs.routes';

@Component({ template: '' })
class Blank {}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const failedImport = aRun({
  id: 'import-1',
  kind: 'import',
  trigger: 'import',
  status: 'succeeded',
  phase: 'done',
  stats: { rowsImported: 2, rowsRejected: 1, analysisChunks: 3, workers: { 'w1:11': 2, 'w2:12': 1 } },
  errors: [{ at: '2025-03-02T02:00:02.000Z', ref: 'line 3', message: 'id must be a positive integer' }],
});

describe('RunListPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let element: HTMLElement;
  let loader: HarnessLoader;
  const snackBar = { open: jest.fn() };

  async function render(role: Role, url = '/runs'): Promise<HTMLElement> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'runs', children: RUNS_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([pagingInterceptor, httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: RUN_POLL_INTERVAL_MS, useValue: 5 },
        { provide: SYNC_STATUS_IDLE_INTERVAL_MS, useValue: 60 * 60 * 1000 },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    element = harness.routeNativeElement as HTMLElement;
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return element;
  }

  function expectStatus(): TestRequest {
    return backend.expectOne('/api/sync/status');
  }

  function expectHistory(): TestRequest {
    return backend.expectOne((req) => req.url === '/api/sync/runs');
  }

  async function stable(): Promise<void> {
    await wait(0);
    await harness.fixture.whenStable();
  }

  function testId(id: string): HTMLElement | null {
    return element.querySelector(byTestId(id));
  }

  /** A Material button by its test id (or any selector). */
  const button = (selector: string): Promise<MatButtonHarness> =>
    loader.getHarness(MatButtonHarness.with({ selector }));

  /** The value of the progress bar inside `ancestor`. */
  const progress = async (ancestor: string): Promise<number | null> =>
    (await loader.getHarness(MatProgressBarHarness.with({ ancestor }))).getValue();

  beforeEach(() => {
    localStorage.clear();
    snackBar.open.mockReset();
  });
  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => (overlay.innerHTML = ''));
  });

  it("shows the current run's phases with live progress, polling until it ends", async () => {
    await render('viewer');
    expectStatus().flush(
      aSyncStatus({
        state: 'running',
        currentRun: { id: 'run-7', phase: 'analyze', done: 40, total: 100 },
      }),
    );
    expectHistory().flush(pageOf([aRun()]));
    backend
      .expectOne('/api/sync/runs/run-7')
      .flush(aRun({ id: 'run-7', status: 'running', phase: 'analyze', backfillDays: 30 }));
    await stable();

    const current = testId('current-run');
    expect(current?.textContent?.replace(/\s+/g, ' ')).toContain('Sync · Manual · backfill 30 days · started');
    const phases = Array.from(current?.querySelectorAll('[data-phase]') ?? []);
    expect(phases.map((phase) => phase.getAttribute('data-phase'))).toEqual(['sync', 'analyze', 'cluster']);
    expect(phases[0].textContent).toContain('Done');
    expect(phases[1].textContent).toContain('40 / 100');
    expect(await progress('[data-testid="current-run"] [data-phase="analyze"]')).toBe(40);
    expect(phases[2].textContent).toContain('Waiting');

    // While the run is active the page asks again every ~2 s (5 ms here).
    await wait(20);
    expectStatus().flush(
      aSyncStatus({ state: 'running', currentRun: { id: 'run-7', phase: 'cluster', done: 3, total: 4 } }),
    );
    await stable();
    expect(current?.querySelector('[data-phase="cluster"]')?.textContent).toContain('3 / 4');

    await wait(20);
    expectStatus().flush(aSyncStatus({ lastRun: aRun({ id: 'run-7' }) }));
    await stable();
    expect(testId('no-current-run')?.textContent).toContain('No run in progress.');
    // The run ended: the history is loaded again.
    expectHistory().flush(pageOf([aRun({ id: 'run-7' }), aRun()]));
    await stable();
    expect((await tableRows(loader)).length).toBe(2);
  });

  it('lists the run history with its counts, and the last and next runs', async () => {
    await render('viewer');
    expectStatus().flush(aSyncStatus());
    const history = expectHistory();
    expect(history.request.params.get('page')).toBe('1');
    expect(history.request.params.get('perPage')).toBe('25');
    history.flush(pageOf([aRun(), failedImport], { total: 2 }));
    await stable();

    const cells = await tableRows(loader, { collapse: false });
    expect(cells[0].slice(0, 3)).toEqual(['Sync', 'Manual', 'Succeeded']);
    expect(cells[0].slice(4, 12)).toEqual(['3 min 05 s', '120', '37', '44', '2', '—', '—', '0']);
    expect(cells[1].slice(0, 2)).toEqual(['Import', 'File import']);
    expect(cells[1].slice(9, 12)).toEqual(['2', '1', '1']);
    expect(testId('last-run')?.textContent).toContain('Succeeded');
    expect(testId('next-run')?.textContent).toMatch(/Mar 3, 2025/);
  });

  it("opens a run's details with its errors at /runs?run=<id>", async () => {
    await render('viewer');
    expectStatus().flush(aSyncStatus());
    expectHistory().flush(pageOf([failedImport]));
    await stable();

    await (await loader.getHarness(MatButtonHarness.with({ ancestor: 'tr[data-run="import-1"]' }))).click();
    await stable();
    expect(TestBed.inject(Router).url).toBe('/runs?run=import-1');

    await wait(0);
    backend.expectOne('/api/sync/runs/import-1').flush(failedImport);
    await stable();

    const dialog = await TestbedHarnessEnvironment.documentRootLoader(harness.fixture).getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe('Run details');
    const container = document.querySelector('mat-dialog-container');
    expect(container?.querySelector('[data-testid="run-summary"]')?.textContent).toContain('File import');
    expect(container?.querySelector('[data-testid="run-errors"] li span')?.textContent).toBe(
      'line 3: id must be a positive integer',
    );
    expect(await dialog.getText()).toContain('Rows rejected');
    // The chunks each worker process did (shared analysis), in words, not "[object Object]".
    expect(await dialog.getText()).toContain('Chunks per worker');
    expect(await dialog.getText()).toContain('w1:11: 2, w2:12: 1');

    await (await dialog.getHarness(MatButtonHarness.with({ selector: '[mat-dialog-close]' }))).click();
    await wait(50);
    await stable();
    expect(TestBed.inject(Router).url).toBe('/runs');
  });

  it('disables Sync now and Backfill with an explanation when Zendesk is not configured', async () => {
    await render('editor');
    expectStatus().flush(aSyncStatus({ zendeskConfigured: false, nextScheduledAt: null }));
    expectHistory().flush(pageOf([]));
    await stable();

    const syncNow = await button(byTestId('sync-now'));
    const backfill = await button(byTestId('backfill'));
    expect(await syncNow.isDisabled()).toBe(true);
    expect(await backfill.isDisabled()).toBe(true);
    expect(await backfill.getText()).toBe('Backfill 30 days');
    expect(testId('trigger-blocked')?.textContent).toContain('Zendesk is not configured');
    expect(await (await syncNow.host()).getAttribute('aria-describedby')).toBe('trigger-blocked');
    expect(testId('next-run')?.textContent).toContain('Not scheduled (Zendesk is not configured)');
    expect(testId('history-empty')?.textContent).toContain('No runs yet.');
  });

  it('starts a backfill for editors and follows the new run', async () => {
    await render('editor');
    expectStatus().flush(aSyncStatus());
    expectHistory().flush(pageOf([]));
    await stable();

    await (await loader.getHarness(MatInputHarness.with({ selector: byTestId('backfill-days') }))).setValue('7');
    await stable();
    const backfill = await button(byTestId('backfill'));
    expect(await backfill.getText()).toBe('Backfill 7 days');
    await backfill.click();

    const trigger = backend.expectOne((req) => req.url === '/api/sync/trigger');
    expect(trigger.request.method).toBe('POST');
    expect(trigger.request.params.get('backfillDays')).toBe('7');
    trigger.flush({ runId: 'run-9' });
    await stable();

    expectStatus().flush(
      aSyncStatus({ state: 'queued', currentRun: { id: 'run-9', phase: 'queued', done: 0, total: null } }),
    );
    backend.expectOne('/api/sync/runs/run-9').flush(aRun({ id: 'run-9', status: 'queued', phase: 'queued' }));
    expectHistory().flush(pageOf([aRun({ id: 'run-9', status: 'queued' })]));
    await stable();
    expect(await (await button(byTestId('sync-now'))).isDisabled()).toBe(true);
    expect(testId('trigger-blocked')?.textContent).toContain('A run is in progress');
    await wait(20);
    expectStatus().flush(aSyncStatus());
    expectHistory().flush(pageOf([aRun({ id: 'run-9' })]));
    await stable();
  });

  it('shows viewers no sync or import controls', async () => {
    await render('viewer');
    expectStatus().flush(aSyncStatus());
    expectHistory().flush(pageOf([aRun()]));
    await stable();

    expect(testId('sync-actions')).toBeNull();
    expect(element.querySelector('pim-run-import-card')).toBeNull();
    expect(element.textContent).not.toContain('Sync now');
  });

  it('uploads a file with progress, follows the import run and shows the rows it rejected', async () => {
    await render('admin');
    expectStatus().flush(aSyncStatus({ zendeskConfigured: false }));
    expectHistory().flush(pageOf([]));
    await stable();

    const input = testId('import-file') as HTMLInputElement;
    const file = new File(['{"id":1}\n{"id":2}\n{"id":"x"}\n'], 'tickets.jsonl', { type: 'application/jsonl' });
    Object.defineProperty(input, 'files', { value: { item: () => file, length: 1 } });
    input.dispatchEvent(new Event('change'));
    await stable();
    expect(element.textContent).toContain('tickets.jsonl');

    await (await button(byTestId('import-start'))).click();
    const upload = backend.expectOne('/api/tickets/import');
    expect(upload.request.method).toBe('POST');
    expect((upload.request.body as FormData).get('file')).toBeInstanceOf(File);
    expect(upload.request.reportProgress).toBe(true);

    upload.event({ type: HttpEventType.UploadProgress, loaded: 50, total: 100 });
    await stable();
    expect(testId('upload-progress')?.textContent).toContain('Uploading… 50%');
    expect(await progress(byTestId('upload-progress'))).toBe(50);

    upload.flush({ runId: 'import-1' }, { status: 202, statusText: 'Accepted' });
    await stable();
    expect(testId('upload-progress')).toBeNull();
    // The page asks for the status at once, to follow the new run.
    expectStatus().flush(aSyncStatus({ zendeskConfigured: false }));

    backend
      .expectOne('/api/sync/runs/import-1')
      .flush(aRun({ ...failedImport, status: 'running', phase: 'import', done: 2, total: null, errors: [] }));
    await stable();
    expect(testId('import-result')?.textContent).toContain('Importing…');
    expect(testId('import-result')?.querySelector('[data-phase="import"]')?.textContent).toContain('2 so far');

    await wait(20);
    backend.expectOne('/api/sync/runs/import-1').flush(failedImport);
    await stable();
    expect(testId('import-result')?.textContent).toContain('Imported 2 rows, rejected 1.');
    expect(testId('import-errors')?.textContent?.trim()).toBe('line 3: id must be a positive integer');
    expectHistory().flush(pageOf([failedImport]));
    await stable();
  });

  it('says when the sync status cannot be loaded, and keeps trying', async () => {
    await render('viewer');
    expectStatus().flush({ statusCode: 500, message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    expectHistory().flush(pageOf([]));
    await stable();

    expect(testId('status-error')?.textContent).toContain('Database unavailable');
    expect(snackBar.open).not.toHaveBeenCalled();

    await (await loader.getHarness(MatButtonHarness.with({ ancestor: byTestId('status-error') }))).click();
    expectStatus().flush(aSyncStatus());
    await stable();
    expect(testId('status-error')).toBeNull();
    expect(testId('no-current-run')).not.toBeNull();
  });
});
