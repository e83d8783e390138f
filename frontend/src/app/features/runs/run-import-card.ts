import { DecimalPipe } from '@angular/common';
import { HttpClient, HttpEventType, HttpResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import {
  ApiConfiguration,
  RequestBuilder,
  RunResponse,
  SyncService,
  TicketsService,
  TriggerResponse,
} from '@pim/api-client';
import { filter, finalize, map, Observable, switchMap, tap } from 'rxjs';
import { Icon } from '../../shared/icon/icon';
import { followRun, RUN_POLL_INTERVAL_MS } from '../../shared/runs/follow-run';
import { RunProgress } from '../../shared/runs/run-progress';
import { isRunActive, runErrorText } from '../../shared/runs/run-labels';

/** The upload formats the import endpoint reads. */
export const IMPORT_ACCEPT = '.jsonl,.ndjson,.json,.csv';

/**
 * Imports a ticket file (Zendesk export JSON, JSONL or CSV): uploads it with progress, then follows the import
 * run to its end and shows the rows it rejected.
 */
@Component({
  selector: 'pim-run-import-card',
  imports: [
    DecimalPipe,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatButton,
    MatProgressBar,
    Icon,
    RunProgress,
  ],
  templateUrl: './run-import-card.html',
  styleUrl: './run-import-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunImportCard {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ApiConfiguration);
  private readonly sync = inject(SyncService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly pollInterval = inject(RUN_POLL_INTERVAL_MS);

  /** An import run started (its id). */
  readonly started = output<string>();
  /** The import run ended (succeeded or failed). */
  readonly finished = output<RunResponse>();

  protected readonly accept = IMPORT_ACCEPT;
  protected readonly errorText = runErrorText;
  protected readonly file = signal<File | null>(null);
  /** Upload progress in percent, null when the size is unknown; undefined when no upload is going on. */
  protected readonly uploadPercent = signal<number | null | undefined>(undefined);
  protected readonly run = signal<RunResponse | null>(null);
  protected readonly uploadFailed = signal(false);
  protected readonly busy = computed(() => this.uploadPercent() !== undefined || this.following());
  protected readonly following = computed(() => {
    const run = this.run();
    return run !== null && isRunActive(run.status);
  });

  protected choose(input: HTMLInputElement): void {
    this.file.set(input.files?.item(0) ?? null);
    this.run.set(null);
    this.uploadFailed.set(false);
  }

  protected upload(input: HTMLInputElement): void {
    const file = this.file();
    if (!file || this.busy()) {
      return;
    }
    this.run.set(null);
    this.uploadFailed.set(false);
    this.uploadPercent.set(0);
    this.uploadWithProgress(file)
      .pipe(
        tap((runId) => {
          this.uploadPercent.set(undefined);
          this.started.emit(runId);
          this.file.set(null);
          input.value = '';
        }),
        switchMap((runId) => followRun(this.sync, runId, this.pollInterval)),
        finalize(() => this.uploadPercent.set(undefined)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (run) => {
          this.run.set(run);
          if (!isRunActive(run.status)) {
            this.finished.emit(run);
          }
        },
        // The snackbar shows the server's message (a bad file type, a run already active…).
        error: () => this.uploadFailed.set(this.run() === null),
      });
  }

  /**
   * `POST /api/tickets/import` with upload progress. The generated `importTickets()` keeps only the final
   * response, so the request is built with the generated client's `RequestBuilder` (same path, same multipart
   * body) and sent with `reportProgress`.
   */
  private uploadWithProgress(file: File): Observable<string> {
    const builder = new RequestBuilder(this.config.rootUrl, TicketsService.ImportTicketsPath, 'post');
    builder.body({ file }, 'multipart/form-data');
    return this.http
      .request<TriggerResponse>(
        builder.build({ responseType: 'json', accept: 'application/json', reportProgress: true }),
      )
      .pipe(
        tap((event) => {
          if (event.type === HttpEventType.UploadProgress) {
            this.uploadPercent.set(event.total ? Math.round((event.loaded / event.total) * 100) : null);
          }
        }),
        filter((event): event is HttpResponse<TriggerResponse> => event instanceof HttpResponse),
        map((response) => {
          if (!response.body) {
            throw new Error('The import answered without a run id');
          }
          return response.body.runId;
        }),
      );
  }
}
