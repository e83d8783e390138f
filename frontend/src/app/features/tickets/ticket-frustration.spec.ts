import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Subject } from 'rxjs';
import { anAnalysis, aTicketDetail } from '../../../testing/api-fixtures';
import { aUser, storeSession } from '../../../testing/auth-fixtures';
import { httpErrorInterceptor } from '../../core/http/http-error-interceptor';
import { TICKETS_ROUTES } from './tickets.routes';

@Component({ template: '' })
class Blank {}

/** The ticket's frustration (issue 18), under its analysis record; absent before it was scored. */
describe('Ticket frustration', () => {
  async function render(frustration: number | null): Promise<HTMLElement> {
    storeSession(aUser({ role: 'viewer' }));
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
        { provide: MatSnackBar, useValue: { open: () => ({ onAction: () => new Subject<void>() }) } },
      ],
    });
    const backend = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/tickets/1042');
    backend
      .expectOne('/api/tickets/1042')
      .flush(aTicketDetail({ analysis: anAnalysis({ analyzer: 'local', frustration }) }));
    backend.match(() => true).forEach((r) => r.flush([]));
    await harness.fixture.whenStable();
    return harness.fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => localStorage.clear());

  it('shows the score and where it came from', async () => {
    const text = (await render(0.82)).querySelector('[data-testid="frustration"]')?.textContent;
    expect(text).toContain('Frustration 0.82');
    expect(text).toContain('lexicon score');
  });

  it('shows nothing when the analysis has none', async () => {
    expect((await render(null)).querySelector('[data-testid="frustration"]')).toBeNull();
  });
});
