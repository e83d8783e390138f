import { HttpContext, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input, linkedSignal, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { ClusterDetailResponse, ExternalIssueResponse, TrackersService } from '@pim/api-client';
import { catchError, of } from 'rxjs';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';

type Provider = 'jira' | 'linear';
const PROVIDER_LABELS: Record<Provider, string> = { jira: 'Jira', linear: 'Linear' };

/**
 * The cluster's issue in Jira or Linear with its last synced status; editors file the cluster there or link an
 * existing key (the trackers configured on the server are the ones offered).
 */
@Component({
  selector: 'pim-cluster-tracker-card',
  imports: [FormsModule, MatButton, MatCard, MatCardContent, MatFormField, MatLabel, MatInput],
  templateUrl: './cluster-tracker-card.html',
  styleUrl: './cluster-tracker-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterTrackerCard {
  private readonly trackers = inject(TrackersService);

  readonly cluster = input.required<ClusterDetailResponse>();
  readonly canEdit = input(false);

  protected readonly labels = PROVIDER_LABELS;
  /** The trackers configured on the server: asked when an editor opens the form (null until then). */
  protected readonly available = signal<Provider[] | null>(null);
  /** The issue shown: the cluster's, replaced by the one just filed or linked. */
  protected readonly issue = linkedSignal<ExternalIssueResponse | null>(() => this.cluster().externalIssue ?? null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly key = signal('');

  /** Opens the form: asks which trackers the server has (once). */
  protected open(): void {
    if (this.available()) return;
    this.trackers
      .listTrackers()
      .pipe(catchError(() => of({ providers: [] as string[] })))
      .subscribe(({ providers }) => this.available.set(providers as Provider[]));
  }

  protected providerLabel(provider: string): string {
    return PROVIDER_LABELS[provider as Provider] ?? provider;
  }

  protected create(provider: Provider): void {
    this.run(
      this.trackers.createExternalIssue(
        { id: this.cluster().id, body: { provider } },
        new HttpContext().set(SKIP_ERROR_SNACKBAR, true),
      ),
    );
  }

  protected link(provider: Provider): void {
    const key = this.key().trim();
    if (!key) return;
    this.run(
      this.trackers.linkExternalIssue(
        { id: this.cluster().id, body: { provider, key } },
        new HttpContext().set(SKIP_ERROR_SNACKBAR, true),
      ),
    );
  }

  private run(call: ReturnType<TrackersService['createExternalIssue']>): void {
    this.busy.set(true);
    this.error.set(null);
    call.subscribe({
      next: (issue) => {
        this.issue.set(issue);
        this.key.set('');
        this.busy.set(false);
      },
      error: (error: unknown) => {
        this.error.set(error instanceof HttpErrorResponse ? apiErrorMessage(error) : String(error));
        this.busy.set(false);
      },
    });
  }
}
