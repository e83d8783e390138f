import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatOption } from '@angular/material/core';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect } from '@angular/material/select';
import { Role, UserResponse, UsersService } from '@pim/api-client';
import { finalize, Observable } from 'rxjs';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';

export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'Viewer: reads everything',
  editor: 'Editor: triages clusters, runs syncs and imports',
  admin: 'Admin: also manages users and settings',
};
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const passwordValidators = [
  Validators.required,
  Validators.minLength(PASSWORD_MIN),
  Validators.maxLength(PASSWORD_MAX),
];

/** Shared submit plumbing: one request at a time, the server's message inside the dialog, close on success. */
abstract class UserFormDialog {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly dialogRef = inject(MatDialogRef<unknown, UserResponse>);
  protected readonly users = inject(UsersService);
  protected readonly fb = inject(NonNullableFormBuilder);
  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The dialog shows the server's message itself. */
  protected readonly quiet = new HttpContext().set(SKIP_ERROR_SNACKBAR, true);

  protected send(request: Observable<UserResponse>): void {
    this.pending.set(true);
    this.error.set(null);
    request
      .pipe(
        finalize(() => this.pending.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (user) => this.dialogRef.close(user),
        error: (error: unknown) => this.error.set(apiErrorMessage(error)),
      });
  }
}

/** Creates a user (email, name, role, first password). Closes with the new user. */
@Component({
  selector: 'pim-create-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSelect,
    MatOption,
  ],
  template: `
    <h2 mat-dialog-title>Add user</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="fields">
        <mat-form-field>
          <mat-label>Email</mat-label>
          <input matInput type="email" formControlName="email" autocomplete="off" required cdkFocusInitial />
          @if (form.controls.email.hasError('required')) {
            <mat-error>Enter an email address</mat-error>
          } @else if (form.controls.email.hasError('email')) {
            <mat-error>Enter a valid email address</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="off" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Role</mat-label>
          <mat-select formControlName="role">
            @for (role of roles; track role) {
              <mat-option [value]="role">{{ descriptions[role] }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Password</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="new-password" required />
          <mat-hint>{{ min }}–{{ max }} characters; tell the user to change it.</mat-hint>
          @if (form.controls.password.hasError('required')) {
            <mat-error>Enter a password</mat-error>
          } @else if (form.controls.password.hasError('minlength')) {
            <mat-error>At least {{ min }} characters</mat-error>
          } @else if (form.controls.password.hasError('maxlength')) {
            <mat-error>At most {{ max }} characters</mat-error>
          }
        </mat-form-field>
        @if (error(); as message) {
          <p class="form-error" role="alert" data-testid="dialog-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button matButton="filled" type="submit" data-testid="create-user-submit" [disabled]="pending()">
          {{ pending() ? 'Adding…' : 'Add user' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: './user-dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateUserDialog extends UserFormDialog {
  protected readonly roles = ROLES;
  protected readonly descriptions = ROLE_DESCRIPTIONS;
  protected readonly min = PASSWORD_MIN;
  protected readonly max = PASSWORD_MAX;
  protected readonly form = this.fb.group({
    email: ['', [Validators.required, Validators.email]],
    name: [''],
    role: this.fb.control<Role>('viewer'),
    password: ['', passwordValidators],
  });

  protected submit(): void {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, name, role, password } = this.form.getRawValue();
    this.send(
      this.users.createUser(
        { body: { email: email.trim(), role, password, ...(name.trim() ? { name: name.trim() } : {}) } },
        this.quiet,
      ),
    );
  }
}

export interface ResetPasswordDialogData {
  user: UserResponse;
}

/** Sets a new password for a user; their existing sessions stop working. Closes with the updated user. */
@Component({
  selector: 'pim-reset-password-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
  ],
  template: `
    <h2 mat-dialog-title>Reset password</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="fields">
        <p>
          A new password for <strong>{{ data.user.name || data.user.email }}</strong> ({{ data.user.email }}). Their
          current sessions end.
        </p>
        <mat-form-field>
          <mat-label>New password</mat-label>
          <input
            matInput
            type="password"
            formControlName="password"
            autocomplete="new-password"
            required
            cdkFocusInitial
          />
          <mat-hint>{{ min }}–{{ max }} characters</mat-hint>
          @if (form.controls.password.hasError('required')) {
            <mat-error>Enter a password</mat-error>
          } @else if (form.controls.password.hasError('minlength')) {
            <mat-error>At least {{ min }} characters</mat-error>
          } @else if (form.controls.password.hasError('maxlength')) {
            <mat-error>At most {{ max }} characters</mat-error>
          }
        </mat-form-field>
        @if (error(); as message) {
          <p class="form-error" role="alert" data-testid="dialog-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button matButton="filled" type="submit" data-testid="reset-password-submit" [disabled]="pending()">
          {{ pending() ? 'Saving…' : 'Set password' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: './user-dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPasswordDialog extends UserFormDialog {
  protected readonly data = inject<ResetPasswordDialogData>(MAT_DIALOG_DATA);
  protected readonly min = PASSWORD_MIN;
  protected readonly max = PASSWORD_MAX;
  protected readonly form = this.fb.group({ password: ['', passwordValidators] });

  protected submit(): void {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.send(
      this.users.updateUser(
        { id: this.data.user.id, body: { password: this.form.getRawValue().password } },
        this.quiet,
      ),
    );
  }
}
