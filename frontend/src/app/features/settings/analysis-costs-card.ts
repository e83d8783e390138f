import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
import { AnalysisCostsResponse, AnalysisService } from '@pim/api-client';
import { catchError, map, of, startWith, Subject, switchMap } from 'rxjs';

type CostsState = { status: 'loading' } | { status: 'ready'; costs: AnalysisCostsResponse } | { status: 'error' };

export const COST_PERIODS: readonly number[] = [7, 30, 90, 365];

/** What analysis cost, by day and model, with totals (`GET /api/analysis/costs`, editors and admins). */
@Component({
  selector: 'pim-analysis-costs-card',
  imports: [
    DatePipe,
    DecimalPipe,
    MatCard,
    MatCardContent,
    MatButton,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatProgressBar,
  ],
  templateUrl: './analysis-costs-card.html',
  styleUrl: './analysis-costs-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AnalysisCostsCard {
  private readonly analysis = inject(AnalysisService);
  private readonly reload$ = new Subject<void>();

  protected readonly periods = COST_PERIODS;
  protected readonly days = signal(30);
  protected readonly state = toSignal(
    toObservable(this.days).pipe(
      switchMap((days) =>
        this.reload$.pipe(
          startWith(undefined),
          switchMap(() =>
            this.analysis.getAnalysisCosts({ days }).pipe(
              map((costs): CostsState => ({ status: 'ready', costs })),
              catchError(() => of<CostsState>({ status: 'error' })),
              startWith<CostsState>({ status: 'loading' }),
            ),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as CostsState },
  );

  protected costs(): AnalysisCostsResponse | null {
    const state = this.state();
    return state.status === 'ready' ? state.costs : null;
  }

  protected retry(): void {
    this.reload$.next();
  }
}
