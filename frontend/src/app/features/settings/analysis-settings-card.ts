import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  AnalysisMode,
  AnalysisSettingsResponse,
  SettingsService,
  UpdateAnalysisSettingsRequest,
} from '@pim/api-client';
import { finalize } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { Icon } from '../../shared/icon/icon';

type LoadState = 'loading' | 'ready' | 'error';

export const MODE_LABELS: Record<AnalysisMode, string> = {
  realtime: 'Realtime: one call per ticket',
  batch: 'Batch: Message Batches, half price, results within hours',
  auto: 'Auto: batches for large runs, realtime otherwise',
};
const MODES = Object.keys(MODE_LABELS) as AnalysisMode[];

/**
 * The analyzer, the analysis mode and the Claude model (`GET|PUT /api/settings/analysis`): admins change the mode
 * and model, everyone else reads them. A change applies from the next analysis run on. Errors are shown by the
 * global snackbar with the server's message.
 */
@Component({
  selector: 'pim-analysis-settings-card',
  imports: [
    MatCard,
    MatCardContent,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatSelect,
    MatOption,
    MatProgressBar,
    Icon,
  ],
  templateUrl: './analysis-settings-card.html',
  styleUrl: './analysis-settings-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AnalysisSettingsCard {
  private readonly settingsApi = inject(SettingsService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly auth = inject(AuthStore);

  protected readonly canEdit = computed(() => this.auth.hasRole('admin'));
  protected readonly modes = MODES;
  protected readonly modeLabels = MODE_LABELS;

  protected readonly state = signal<LoadState>('loading');
  protected readonly settings = signal<AnalysisSettingsResponse | null>(null);
  protected readonly mode = signal<AnalysisMode>('auto');
  protected readonly model = signal('');
  protected readonly saving = signal(false);

  /** The priced models, and the current one when it is not among them. */
  protected readonly models = computed(() => {
    const settings = this.settings();
    if (!settings) {
      return [];
    }
    return settings.knownModels.includes(settings.model)
      ? settings.knownModels
      : [settings.model, ...settings.knownModels];
  });
  protected readonly changed = computed(() => {
    const settings = this.settings();
    return !!settings && (this.mode() !== settings.mode || this.model() !== settings.model);
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.settingsApi
      .getAnalysisSettings()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (settings) => {
          this.show(settings);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  protected discard(): void {
    const settings = this.settings();
    if (settings) {
      this.show(settings);
    }
  }

  protected save(): void {
    const settings = this.settings();
    if (!settings || this.saving() || !this.changed()) {
      return;
    }
    const body: UpdateAnalysisSettingsRequest = {};
    if (this.mode() !== settings.mode) {
      body.mode = this.mode();
    }
    if (this.model() !== settings.model) {
      body.model = this.model();
    }
    this.send(body);
  }

  /** Drops the admin's choices: the server's ANALYSIS_MODE and ANALYSIS_MODEL apply again. */
  protected resetToDefaults(): void {
    if (!this.saving()) {
      this.send({ mode: null, model: null });
    }
  }

  private send(body: UpdateAnalysisSettingsRequest): void {
    this.saving.set(true);
    this.settingsApi
      .updateAnalysisSettings({ body })
      .pipe(
        finalize(() => this.saving.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (saved) => {
          this.show(saved);
          this.snackBar.open(`Saved: the next run uses ${saved.model} in ${saved.mode} mode`, 'Dismiss', {
            duration: 5000,
          });
        },
        // The global error snackbar shows the server's message; the choices stay for another try.
        error: () => undefined,
      });
  }

  private show(settings: AnalysisSettingsResponse): void {
    this.settings.set(settings);
    this.mode.set(settings.mode);
    this.model.set(settings.model);
  }
}
