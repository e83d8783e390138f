import { CurrencyPipe, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  AccountFieldMappingDto,
  AccountImportResponse,
  AccountPageResponse,
  AccountSettingsResponse,
  AccountsService,
  UpdateAccountSettingsRequest,
} from '@pim/api-client';
import { finalize } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';

type Attribute = keyof AccountFieldMappingDto;

/** The account attributes, as the mapping form lists them. */
export const ATTRIBUTE_LABELS: Record<Attribute, string> = {
  arr: 'ARR',
  mrr: 'MRR',
  plan: 'Plan',
  seats: 'Seats',
  segment: 'Segment',
  renewalDate: 'Renewal date',
  owner: 'Account owner',
};
const ATTRIBUTES = Object.keys(ATTRIBUTE_LABELS) as Attribute[];

/**
 * Accounts (issue 18): which Zendesk organization fields hold ARR, plan, ... (admins edit, `ACCOUNT_ARR_FIELD` and
 * `ACCOUNT_PLAN_FIELD` being the defaults), the CSV feed (upload by editors; a URL polled nightly), and the accounts
 * with their values, highest ARR first.
 */
@Component({
  selector: 'pim-accounts-page',
  imports: [CurrencyPipe, DatePipe, MatButton, MatCard, MatCardContent, MatFormField, MatHint, MatLabel, MatInput],
  templateUrl: './accounts-page.html',
  styleUrl: './accounts-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountsPage {
  private readonly api = inject(AccountsService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly auth = inject(AuthStore);

  protected readonly isAdmin = computed(() => this.auth.hasRole('admin'));
  protected readonly canImport = computed(() => this.auth.hasRole('editor', 'admin'));
  protected readonly attributes = ATTRIBUTES;
  protected readonly labels = ATTRIBUTE_LABELS;
  protected readonly settings = signal<AccountSettingsResponse | null>(null);
  protected readonly accounts = signal<AccountPageResponse | null>(null);
  protected readonly imported = signal<AccountImportResponse | null>(null);
  protected readonly busy = signal(false);
  /** The form's values: field keys by attribute, and the feed URL (empty: unchanged). */
  protected readonly draft: Record<Attribute, string> = {
    arr: '',
    mrr: '',
    plan: '',
    seats: '',
    segment: '',
    renewalDate: '',
    owner: '',
  };
  protected feedUrl = '';

  constructor() {
    if (this.isAdmin())
      this.api.getAccountSettings().subscribe((s) => {
        this.settings.set(s);
        for (const a of ATTRIBUTES) this.draft[a] = s.mapping[a] ?? '';
      });
    this.loadAccounts();
  }

  private loadAccounts(): void {
    this.api.listAccounts({ perPage: 100 }).subscribe((page) => this.accounts.set(page));
  }

  protected setField(attribute: Attribute, value: string): void {
    this.draft[attribute] = value.trim();
  }

  /** Saves the mapping (an empty field: no field holds it) and, when typed, the feed URL. */
  protected save(): void {
    const body: UpdateAccountSettingsRequest = {
      mapping: Object.fromEntries(ATTRIBUTES.map((a) => [a, this.draft[a] || null])),
    };
    if (this.feedUrl.trim()) body.feedUrl = this.feedUrl.trim();
    this.busy.set(true);
    this.api
      .updateAccountSettings({ body })
      .pipe(finalize(() => this.busy.set(false)))
      .subscribe((s) => {
        this.settings.set(s);
        this.feedUrl = '';
        this.snackBar.open('Account settings saved', undefined, { duration: 3000 });
        this.loadAccounts();
      });
  }

  protected upload(input: HTMLInputElement): void {
    const file = input.files?.[0];
    if (!file) return;
    this.busy.set(true);
    this.api
      .importAccounts({ body: { file } })
      .pipe(
        finalize(() => {
          this.busy.set(false);
          input.value = '';
        }),
      )
      .subscribe((result) => {
        this.imported.set(result);
        this.snackBar.open(`${result.matched} of ${result.rows} accounts matched`, undefined, { duration: 4000 });
        this.loadAccounts();
      });
  }
}
