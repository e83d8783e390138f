import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { HttpContext } from '@angular/common/http';
import { AlertsService } from '@pim/api-client';
import { catchError, interval, map, of, startWith, switchMap } from 'rxjs';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';

/** How often the navigation asks for the count (milliseconds). */
export const ALERTS_BADGE_INTERVAL_MS = 5 * 60_000;

/** The navigation's badge: alerts raised in the last 7 days (nothing when there are none or the count fails). */
@Component({
  selector: 'pim-alerts-badge',
  template: `
    @if (count(); as n) {
      <span class="badge" data-testid="alerts-badge" [attr.aria-label]="n + ' alerts in the last 7 days'">{{ n }}</span>
    }
  `,
  styles: `
    .badge {
      display: inline-block;
      min-width: 20px;
      padding: 0 6px;
      border-radius: 10px;
      background: var(--mat-sys-error);
      color: var(--mat-sys-on-error);
      font: var(--mat-sys-label-small);
      line-height: 20px;
      text-align: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertsBadge {
  private readonly alerts = inject(AlertsService);

  protected readonly count = toSignal(
    interval(ALERTS_BADGE_INTERVAL_MS).pipe(
      startWith(0),
      switchMap(() =>
        this.alerts.getAlertsSummary(undefined, new HttpContext().set(SKIP_ERROR_SNACKBAR, true)).pipe(
          map((summary) => summary.last7d),
          catchError(() => of(0)),
        ),
      ),
    ),
    { initialValue: 0 },
  );
}
