import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, linkedSignal, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOption } from '@angular/material/core';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
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
import { ActivatedRoute, Params, Router } from '@angular/router';
import { Role, UpdateUserRequest, UserPageResponse, UserResponse, UsersService } from '@pim/api-client';
import { catchError, debounceTime, distinctUntilChanged, filter, map, of, startWith, Subject, switchMap } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, positiveInt, withPage } from '../../core/http/paging';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { Icon } from '../../shared/icon/icon';
import { CreateUserDialog, ResetPasswordDialog, ResetPasswordDialogData, ROLES } from './user-dialogs';

type ListState = { status: 'loading' } | { status: 'ready'; page: UserPageResponse } | { status: 'error' };

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
    MatCard,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatPrefix,
    MatInput,
    MatSelect,
    MatOption,
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    MatPaginator,
    MatProgressBar,
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
  ],
  templateUrl: './user-list-page.html',
  styleUrl: './user-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserListPage {
  private readonly users = inject(UsersService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly reload$ = new Subject<void>();
  private readonly search$ = new Subject<string>();

  protected readonly roles = ROLES;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly columns = ['name', 'email', 'role', 'status', 'lastLoginAt', 'createdAt', 'actions'];
  private readonly auth = inject(AuthStore);
  protected readonly currentUserId = computed(() => this.auth.user()?.id ?? null);
  /** The user whose change is being saved (their row's controls wait). */
  protected readonly busyId = signal<string | null>(null);

  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly query = computed(() => {
    const params = this.queryParams();
    return {
      search: params.get('search')?.trim() ?? '',
      page: positiveInt(params.get('page'), 1),
      perPage: positiveInt(params.get('perPage'), DEFAULT_PAGE_SIZE, 200),
    };
  });
  protected readonly state = toSignal(
    toObservable(this.query).pipe(
      switchMap((query) =>
        this.reload$.pipe(
          startWith(undefined),
          switchMap(() =>
            this.users.listUsers(query.search ? { search: query.search } : undefined, withPage(query)).pipe(
              map((page): ListState => ({ status: 'ready', page })),
              catchError(() => of<ListState>({ status: 'error' })),
              startWith<ListState>({ status: 'loading' }),
            ),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as ListState },
  );
  protected readonly page = linkedSignal<ListState, UserPageResponse | null>({
    source: this.state,
    computation: (state, previous) => (state.status === 'ready' ? state.page : (previous?.value ?? null)),
  });

  private submittedSearch: string | null = null;
  protected readonly searchText = linkedSignal<string, string>({
    source: () => this.query().search,
    computation: (search, previous) => (previous && search === this.submittedSearch ? previous.value : search),
  });

  constructor() {
    this.search$.pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed()).subscribe((search) => {
      this.submittedSearch = search.trim();
      this.navigate({ search: this.submittedSearch || null, page: null });
    });
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
    this.search$.next(value);
  }

  protected onPage(event: PageEvent): void {
    this.navigate({
      page: event.pageIndex > 0 ? event.pageIndex + 1 : null,
      perPage: event.pageSize === DEFAULT_PAGE_SIZE ? null : event.pageSize,
    });
  }

  protected retry(): void {
    this.reload$.next();
  }

  protected create(): void {
    this.dialog
      .open<CreateUserDialog, undefined, UserResponse>(CreateUserDialog, { width: '480px', maxWidth: '95vw' })
      .afterClosed()
      .pipe(filter((user): user is UserResponse => !!user))
      .subscribe((user) => {
        this.snackBar.open(`Added ${user.email}`, 'Dismiss', { duration: 5000 });
        this.reload$.next();
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
          this.reload$.next();
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
          this.reload$.next();
        },
        // The snackbar shows the server's reason; reloading puts the row back as it is.
        error: () => {
          this.busyId.set(null);
          onError?.();
          this.reload$.next();
        },
      });
  }

  private navigate(queryParams: Params): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
