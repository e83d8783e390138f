import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatOption } from '@angular/material/core';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField } from '@angular/material/form-field';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatSelect, MatSelectChange } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  MatCell,
  MatCellDef,
  MatColumnDef,
  MatHeaderCell,
  MatHeaderCellDef,
  MatHeaderRow,
  MatHeaderRowDef,
  MatRow,
  MatRowDef,
  MatTable,
} from '@angular/material/table';
import { Role, UpdateUserRequest, UserPageResponse, UserResponse, UsersService } from '@pim/api-client';
import { filter, switchMap } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { withPage } from '../../core/http/paging';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { Icon } from '../../shared/icon/icon';
import { ListCard } from '../../shared/list/list-card';
import { ListSearch } from '../../shared/list/list-search';
import { UrlListState } from '../../shared/list/url-list-state';
import { CreateUserDialog, ResetPasswordDialog, ResetPasswordDialogData, ROLES } from './user-dialogs';

/**
 * Users and their roles (admins): search and paging in the URL, add a user, change a role, disable or enable,
 * reset a password, delete. The server keeps the last active admin; its refusal shows in the snackbar.
 */
@Component({
  selector: 'pim-user-list-page',
  imports: [
    DatePipe,
    MatButton,
    MatIconButton,
    MatFormField,
    MatSelect,
    MatOption,
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    MatTable,
    MatColumnDef,
    MatHeaderCell,
    MatHeaderCellDef,
    MatCell,
    MatCellDef,
    MatHeaderRow,
    MatHeaderRowDef,
    MatRow,
    MatRowDef,
    Icon,
    ListCard,
    ListSearch,
  ],
  templateUrl: './user-list-page.html',
  styleUrl: './user-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserListPage {
  private readonly users = inject(UsersService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly roles = ROLES;
  protected readonly columns = ['name', 'email', 'role', 'status', 'lastLoginAt', 'createdAt', 'actions'];
  private readonly auth = inject(AuthStore);
  protected readonly currentUserId = computed(() => this.auth.user()?.id ?? null);
  /** The user whose change is being saved (their row's controls wait). */
  protected readonly busyId = signal<string | null>(null);

  protected readonly list = new UrlListState<object, UserPageResponse>({
    filters: () => ({}),
    filterParams: [],
    load: (query) =>
      this.users.listUsers(
        query.search ? { search: query.search } : undefined,
        withPage({ page: query.page, perPage: query.perPage }),
      ),
  });

  protected create(): void {
    this.dialog
      .open<CreateUserDialog, undefined, UserResponse>(CreateUserDialog, { width: '480px', maxWidth: '95vw' })
      .afterClosed()
      .pipe(filter((user): user is UserResponse => !!user))
      .subscribe((user) => {
        this.snackBar.open(`Added ${user.email}`, 'Dismiss', { duration: 5000 });
        this.list.reload();
      });
  }

  // Rows are untyped in table templates: these take them as users.
  protected isSelf(user: UserResponse): boolean {
    return user.id === this.currentUserId();
  }

  protected changeRole(user: UserResponse, change: MatSelectChange<Role>): void {
    const role = change.value;
    if (role !== user.role) {
      // A refused change puts the select back to the role the user has.
      this.update(user, { role }, `${user.email} is now ${role === 'admin' ? 'an' : 'a'} ${role}`, () => {
        change.source.value = user.role;
      });
    }
  }

  protected toggleDisabled(user: UserResponse): void {
    this.update(
      user,
      { disabled: !user.disabled },
      user.disabled ? `${user.email} can sign in again` : `${user.email} is disabled`,
    );
  }

  protected resetPassword(user: UserResponse): void {
    this.dialog
      .open<ResetPasswordDialog, ResetPasswordDialogData, UserResponse>(ResetPasswordDialog, {
        data: { user },
        width: '480px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(filter((updated): updated is UserResponse => !!updated))
      .subscribe(() => this.snackBar.open(`New password set for ${user.email}`, 'Dismiss', { duration: 5000 }));
  }

  protected remove(user: UserResponse): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
        data: {
          title: 'Delete user?',
          message: `${user.name || user.email} (${user.email}) will no longer be able to sign in. Their audit entries stay.`,
          confirmLabel: 'Delete',
          destructive: true,
        },
      })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => {
          this.busyId.set(user.id);
          return this.users.removeUser({ id: user.id });
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.busyId.set(null);
          this.snackBar.open(`Deleted ${user.email}`, 'Dismiss', { duration: 5000 });
          this.list.reload();
        },
        // The snackbar shows the server's reason (e.g. "At least one active admin must remain").
        error: () => this.busyId.set(null),
      });
  }

  private update(user: UserResponse, body: UpdateUserRequest, done: string, onError?: () => void): void {
    this.busyId.set(user.id);
    this.users
      .updateUser({ id: user.id, body })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.busyId.set(null);
          this.snackBar.open(done, 'Dismiss', { duration: 5000 });
          this.list.reload();
        },
        // The snackbar shows the server's reason; reloading puts the row back as it is.
        error: () => {
          this.busyId.set(null);
          onError?.();
          this.list.reload();
        },
      });
  }
}
