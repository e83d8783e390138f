import { DatePipe } from '@angular/common';
import { HttpContext, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import {
  MatExpansionPanel,
  MatExpansionPanelDescription,
  MatExpansionPanelHeader,
  MatExpansionPanelTitle,
} from '@angular/material/expansion';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltip } from '@angular/material/tooltip';
import { RedactionResponse, SettingsService, TaxonomyResponse } from '@pim/api-client';
import { finalize } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { Icon } from '../../shared/icon/icon';
import {
  applyServerErrors,
  categoryForm,
  PRODUCT_CONTEXT_MAX,
  REDACTION_LABELS,
  subcategoryForm,
  TaxonomyForm,
  taxonomyForm,
  taxonomyRequest,
} from './taxonomy-form';

type LoadState = 'loading' | 'ready' | 'error';

/** The taxonomy and product context the analyzer works with: admins edit it, everyone else reads it. */
@Component({
  selector: 'pim-taxonomy-editor',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButton,
    MatIconButton,
    MatCard,
    MatCardContent,
    MatExpansionPanel,
    MatExpansionPanelHeader,
    MatExpansionPanelTitle,
    MatExpansionPanelDescription,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatProgressBar,
    MatSlideToggle,
    MatTooltip,
    Icon,
  ],
  templateUrl: './taxonomy-editor.html',
  styleUrl: './taxonomy-editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaxonomyEditor {
  private readonly settings = inject(SettingsService);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  private readonly auth = inject(AuthStore);

  protected readonly canEdit = computed(() => this.auth.hasRole('admin'));
  protected readonly productContextMax = PRODUCT_CONTEXT_MAX;
  protected readonly redactionLabels = REDACTION_LABELS;

  protected readonly state = signal<LoadState>('loading');
  protected readonly taxonomy = signal<TaxonomyResponse | null>(null);
  protected readonly form = signal<TaxonomyForm | null>(null);
  protected readonly saving = signal(false);
  /** Server messages no field took (e.g. "issueTypes must list each of … exactly once"). */
  protected readonly formErrors = signal<string[]>([]);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.settings
      .getTaxonomy()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (taxonomy) => {
          this.show(taxonomy);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  protected redactionKeys(form: TaxonomyForm): (keyof RedactionResponse)[] {
    return Object.keys(form.controls.redaction.controls) as (keyof RedactionResponse)[];
  }

  protected addCategory(form: TaxonomyForm): void {
    form.controls.categories.push(categoryForm(this.fb));
    form.markAsDirty();
  }

  protected removeCategory(form: TaxonomyForm, index: number): void {
    form.controls.categories.removeAt(index);
    form.markAsDirty();
  }

  protected addSubcategory(form: TaxonomyForm, categoryIndex: number): void {
    form.controls.categories.at(categoryIndex).controls.subcategories.push(subcategoryForm(this.fb));
    form.markAsDirty();
  }

  protected removeSubcategory(form: TaxonomyForm, categoryIndex: number, index: number): void {
    form.controls.categories.at(categoryIndex).controls.subcategories.removeAt(index);
    form.markAsDirty();
  }

  protected discard(): void {
    const taxonomy = this.taxonomy();
    if (taxonomy) {
      this.show(taxonomy);
    }
  }

  protected save(form: TaxonomyForm): void {
    if (this.saving()) {
      return;
    }
    this.formErrors.set([]);
    if (form.invalid) {
      form.markAllAsTouched();
      this.formErrors.set(['Some fields need attention (marked below).']);
      return;
    }
    this.saving.set(true);
    this.settings
      // A 400 is shown on the fields it names; anything else in the snackbar.
      .updateTaxonomy({ body: taxonomyRequest(form) }, new HttpContext().set(SKIP_ERROR_SNACKBAR, true))
      .pipe(
        finalize(() => this.saving.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (taxonomy) => {
          this.show(taxonomy);
          this.snackBar.open(`Taxonomy saved (version ${taxonomy.version})`, 'Dismiss', { duration: 5000 });
        },
        error: (error: unknown) => {
          if (error instanceof HttpErrorResponse && error.status === 400) {
            const unplaced = applyServerErrors(form, error);
            this.formErrors.set(unplaced.length ? unplaced : ['The server did not accept some fields (marked below).']);
          } else {
            this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 8000, politeness: 'assertive' });
          }
        },
      });
  }

  private show(taxonomy: TaxonomyResponse): void {
    const form = taxonomyForm(this.fb, taxonomy);
    if (!this.canEdit()) {
      form.disable();
    }
    this.taxonomy.set(taxonomy);
    this.form.set(form);
    this.formErrors.set([]);
  }
}
