import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Role } from '@pim/api-client';
import { Subject } from 'rxjs';
import { aComment, aRun, aSimilarTicket, aTicketDetail, anAnalysis } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { byTestId } from '../../../testing/material-harnesses';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { RUN_POLL_INTERVAL_MS } from '../../shared/runs/follow-run';
import { TICKETS_ROUTES } from './tickets.routes';

@Component({ template: '' })
class Blank {}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TicketDetailPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  let snackAction: Subject<void>;
  const snackBar = { open: jest.fn() };

  async function render(role: Role, url = '/tickets/1042'): Promise<HTMLElement> {
    storeSession(aUser({ role }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'tickets', children: TICKETS_ROUTES },
            { path: '**', component: Blank },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: RUN_POLL_INTERVAL_MS, useValue: 5 },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    return harness.routeNativeElement as HTMLElement;
  }

  const reanalyze = (): Promise<MatButtonHarness> =>
    loader.getHarness(MatButtonHarness.with({ selector: byTestId('reanalyze') }));

  async function flushTicket(body: unknown = aTicketDetail()): Promise<void> {
    backend.expectOne('/api/tickets/1042').flush(body);
    await harness.fixture.whenStable();
  }

  /** The analysis record as `{ term: description }`. */
  function record(element: HTMLElement): Record<string, string> {
    const terms = Array.from(element.querySelectorAll('[data-testid="analysis"] dt'));
    return Object.fromEntries(
      terms.map((term) => [term.textContent?.trim(), term.nextElementSibling?.textContent?.trim() ?? '']),
    );
  }

  beforeEach(() => {
    localStorage.clear();
    snackAction = new Subject<void>();
    snackBar.open.mockReset().mockReturnValue({ onAction: () => snackAction });
  });
  afterEach(() => {
    // The similar-tickets card asks once the ticket has loaded; tests of other parts leave it pending.
    backend.match((req) => req.url === '/api/tickets/1042/similar');
    backend.verify();
  });

  it('shows the subject, metadata, the thread, the issues and the analysis record', async () => {
    const element = await render('viewer');
    expect(element.textContent).toContain('Loading the ticket');
    await flushTicket();

    expect(element.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '#1042 Invoice PDF shows the wrong VAT rate',
    );
    expect(element.querySelector('[data-testid="ticket-meta"]')?.textContent).toContain('Acme GmbH');
    expect(element.querySelector('[data-testid="ticket-meta"]')?.textContent).toContain('Clara Customer');

    const comments = Array.from(element.querySelectorAll('.comments article'));
    expect(comments.map((comment) => comment.getAttribute('data-testid'))).toEqual([
      'public-reply',
      'internal-note',
      'public-reply',
    ]);
    expect(comments[0].textContent).toContain('Clara Customer');
    expect(comments[0].textContent).toContain('Customer');
    expect(comments[0].textContent).not.toContain('Internal note');
    expect(comments[1].textContent).toContain('Internal note');
    expect(comments[1].textContent).toContain('Sam Support');
    expect(comments[1].textContent).toContain('Agent');
    expect(comments[1].classList).toContain('internal');
    expect(comments[1].getAttribute('aria-label')).toBe('Internal note by Sam Support');
    expect(element.querySelector('#thread-heading')?.textContent).toContain('2 public replies, 1 internal note');

    const issue = element.querySelector('[data-testid="issue"]');
    expect(issue?.textContent).toContain('Billing › Invoices');
    expect(issue?.textContent).toContain('Bug');
    expect(issue?.querySelector('[data-severity="high"]')?.textContent).toBe('High');
    expect(issue?.querySelector('h3')?.textContent).toBe('Invoices apply the wrong VAT rate');
    expect(issue?.querySelector('blockquote')?.textContent).toBe('The VAT on my invoice is 19% but it should be 7%.');

    expect(record(element)).toEqual({
      Status: 'Issues found',
      Reason: 'The customer reports a wrong tax rate on invoices.',
      Analyzer: 'claude',
      Model: 'claude-sonnet-4-6',
      'Tokens in': '1,834',
      'Tokens out': '212',
      'Cache write': '0',
      'Cache read': '2,048',
      Cost: '$0.0093',
      Analysed: expect.stringMatching(/Mar 2, 2025/),
    });

    const zendesk = element.querySelector<HTMLAnchorElement>('[data-testid="zendesk-link"]');
    expect(zendesk?.href).toBe('https://acme.zendesk.com/agent/tickets/1042');
    expect(zendesk?.target).toBe('_blank');
    expect(zendesk?.rel).toContain('noopener');
  });

  it('renders an HTML/JS payload in the subject and comments as text', async () => {
    const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';
    const element = await render('viewer');
    await flushTicket(
      aTicketDetail({
        subject: payload,
        comments: [aComment({ body: payload, authorName: '<b>Mallory</b>' })],
        issues: [],
      }),
    );

    expect(element.querySelector('[data-testid="ticket-subject"]')?.textContent).toContain(payload);
    expect(element.querySelector('.comments .body')?.textContent).toBe(payload);
    expect(element.querySelector('.comments .author')?.textContent).toBe('<b>Mallory</b>');
    expect(element.querySelector('img')).toBeNull();
    expect(element.querySelector('script')).toBeNull();
    expect(element.querySelector('b')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it("names a ticket imported under another tool's key by that key", async () => {
    const element = await render('viewer');
    await flushTicket(aTicketDetail({ originalId: 'TCK-1042', zendeskUrl: null }));
    expect(element.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '#TCK-1042 Invoice PDF shows the wrong VAT rate',
    );
  });

  it('shows viewers no Re-analyze button', async () => {
    const element = await render('viewer');
    await flushTicket();

    expect(await loader.hasHarness(MatButtonHarness.with({ selector: byTestId('reanalyze') }))).toBe(false);
    expect(element.textContent).not.toContain('Re-analyze');
  });

  it('lets an editor re-analyze: starts a run, shows its progress, then reloads the ticket', async () => {
    const element = await render('editor');
    await flushTicket(
      aTicketDetail({ analysis: anAnalysis({ status: 'failed', reason: 'Anthropic API: overloaded' }) }),
    );
    expect(record(element)['Status']).toBe('Failed');

    await (await reanalyze()).click();
    const start = backend.expectOne('/api/tickets/1042/reanalyze');
    expect(start.request.method).toBe('POST');
    start.flush({ runId: 'run-1', tickets: 1 });
    await wait(1);

    backend.expectOne('/api/sync/runs/run-1').flush(
      aRun({
        id: 'run-1',
        kind: 'analyze',
        trigger: 'reanalyze',
        status: 'running',
        phase: 'analyze',
        done: 0,
        total: 1,
      }),
    );
    await harness.fixture.whenStable();

    const progress = element.querySelector('[data-testid="reanalysis-progress"]');
    expect(progress?.textContent).toContain('Re-analyzing this ticket');
    expect(progress?.querySelector('[data-phase="analyze"]')?.textContent).toContain('0 / 1');
    expect(progress?.querySelector('a')?.getAttribute('href')).toBe('/runs?run=run-1');
    expect(await (await reanalyze()).isDisabled()).toBe(true);

    await wait(10);
    backend
      .expectOne('/api/sync/runs/run-1')
      .flush(aRun({ id: 'run-1', kind: 'analyze', trigger: 'reanalyze', status: 'succeeded', phase: 'done' }));
    await harness.fixture.whenStable();

    expect(snackBar.open).toHaveBeenCalledWith('Re-analysis finished', 'View run', expect.anything());
    await flushTicket();
    expect(record(element)['Status']).toBe('Issues found');
    expect(element.querySelector('[data-testid="reanalysis-progress"]')).toBeNull();
    expect(await (await reanalyze()).isDisabled()).toBe(false);

    snackAction.next();
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/runs?run=run-1');
  });

  it('says when the ticket does not exist', async () => {
    const element = await render('viewer', '/tickets/999');
    backend
      .expectOne('/api/tickets/999')
      .flush({ statusCode: 404, message: 'Ticket 999 not found' }, { status: 404, statusText: 'Not Found' });
    await harness.fixture.whenStable();

    expect(element.querySelector('[data-testid="ticket-error"]')?.textContent).toContain('Ticket 999 not found');
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it('explains a ticket with no analysis yet', async () => {
    const element = await render('viewer');
    await flushTicket(aTicketDetail({ issues: [], analysis: null }));

    expect(element.querySelector('[data-testid="no-issues"]')?.textContent).toContain('Not analysed yet');
    expect(element.textContent).toContain('No analysis yet.');
  });

  describe('similar tickets card', () => {
    const similarRequest = () => backend.expectOne((req) => req.url === '/api/tickets/1042/similar');
    const card = (element: HTMLElement) => element.querySelector('[data-testid="similar-tickets"]');

    it('asks for 10 once the ticket has loaded and lists subject, score, status and date with a link', async () => {
      const element = await render('viewer');
      backend.expectNone((req) => req.url === '/api/tickets/1042/similar');
      await flushTicket();
      expect(card(element)?.textContent).toContain('Looking for similar tickets');

      const request = similarRequest();
      expect(request.request.params.get('limit')).toBe('10');
      request.flush({
        zendeskId: 1042,
        items: [
          aSimilarTicket(),
          aSimilarTicket({
            zendeskId: 2002,
            subject: '<img src=x onerror="window.pwned=1">',
            score: 0.615,
            status: 'solved',
            createdAt: '2025-01-05T09:00:00.000Z',
          }),
        ],
      });
      await harness.fixture.whenStable();

      const items = Array.from(card(element)?.querySelectorAll('li[data-similar]') ?? []).map((item) =>
        item.textContent?.replace(/\s+/g, ' ').trim(),
      );
      expect(items).toEqual([
        '#2001 Reduced VAT not applied 83% similar · open · Feb 20, 2025',
        '#2002 <img src=x onerror="window.pwned=1"> 62% similar · solved · Jan 5, 2025',
      ]);
      expect(card(element)?.querySelector('#similar-heading')?.textContent).toContain('2');
      expect(card(element)?.querySelector('li[data-similar="2002"] a')?.getAttribute('href')).toBe('/tickets/2002');
      expect(card(element)?.querySelector('img')).toBeNull();
    });

    it('says when there are no similar tickets', async () => {
      const element = await render('viewer');
      await flushTicket();
      similarRequest().flush({ zendeskId: 1042, items: [] });
      await harness.fixture.whenStable();

      expect(card(element)?.querySelector('[data-testid="similar-empty"]')?.textContent?.trim()).toBe(
        'No similar tickets',
      );
      expect(card(element)?.querySelector('li[data-similar]')).toBeNull();
    });

    it('shows its own error and retry while the rest of the page still renders', async () => {
      const element = await render('viewer');
      await flushTicket();
      similarRequest().flush(
        { statusCode: 500, message: 'Embeddings unavailable' },
        { status: 500, statusText: 'Error' },
      );
      await harness.fixture.whenStable();

      expect(card(element)?.querySelector('[data-testid="similar-error"]')?.textContent).toContain(
        'The similar tickets could not be loaded.',
      );
      expect(snackBar.open).not.toHaveBeenCalled();
      expect(element.querySelector('[data-testid="ticket-error"]')).toBeNull();
      expect(element.querySelector('[data-testid="ticket-subject"]')?.textContent).toContain(
        'Invoice PDF shows the wrong VAT rate',
      );
      expect(element.querySelectorAll('[data-testid="issue"]').length).toBe(1);
      expect(element.querySelectorAll('.comments article').length).toBe(3);

      await (await loader.getHarness(MatButtonHarness.with({ ancestor: byTestId('similar-error') }))).click();
      similarRequest().flush({ zendeskId: 1042, items: [aSimilarTicket()] });
      await harness.fixture.whenStable();
      expect(card(element)?.querySelector('[data-testid="similar-error"]')).toBeNull();
      expect(card(element)?.querySelectorAll('li[data-similar]').length).toBe(1);
    });
  });
});
