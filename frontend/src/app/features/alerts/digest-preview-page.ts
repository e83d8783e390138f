import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { AlertsService, DigestClusterResponse, DigestResponse } from '@pim/api-client';
import { catchError, map, of, startWith } from 'rxjs';
import { apiErrorMessage } from '../../core/http/api-error';

type Section = 'top' | 'new' | 'rising' | 'regressions';
type State = { status: 'loading' } | { status: 'ready'; digest: DigestResponse } | { status: 'error'; message: string };

/** The weekly digest as it would be sent now (DIGEST_CRON sends it to the e-mail and Slack channels). */
@Component({
  selector: 'pim-digest-preview-page',
  imports: [DatePipe, RouterLink, MatCard, MatCardContent, MatProgressBar],
  templateUrl: './digest-preview-page.html',
  styleUrl: './digest-preview-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DigestPreviewPage {
  private readonly alerts = inject(AlertsService);

  protected readonly sections: Array<{ key: Section; label: string; empty: string }> = [
    { key: 'top', label: 'Top clusters this week', empty: 'No cluster had issues this week.' },
    { key: 'new', label: 'New clusters', empty: 'No new cluster this week.' },
    { key: 'rising', label: 'Rising clusters', empty: 'Nothing is rising week over week.' },
    { key: 'regressions', label: 'Regressions', empty: 'No fixed cluster came back.' },
  ];

  protected readonly state = toSignal(
    this.alerts.previewDigest().pipe(
      map((digest): State => ({ status: 'ready', digest })),
      catchError((error: unknown) => of<State>({ status: 'error', message: apiErrorMessage(error) })),
      startWith<State>({ status: 'loading' }),
    ),
    { initialValue: { status: 'loading' } as State },
  );

  protected items(digest: DigestResponse, key: Section): DigestClusterResponse[] {
    return digest[key];
  }

  protected trend(c: DigestClusterResponse): string {
    return c.trendPct === null ? 'new this week' : `${c.trendPct >= 0 ? '+' : ''}${c.trendPct}% week over week`;
  }
}
